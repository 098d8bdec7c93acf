// Issue 10: what the throughput gaps against llama-server (throughput.bench.ts) are made of, with
// node-llama-cpp in this process.
// 1. Batching: four LlamaChat generations on one context, as the engine runs them, node-llama-cpp's
//    own dispatch against the engine's LockstepBatching, with the batch in the queue's order and in
//    sequence order (attached, as the engine runs it: llama.cpp decodes only consecutive sequence
//    ids in one pass): batches per round, their sizes, tokens/s. The 38.6 M parameter model, whose
//    cost is compute, which batching shares.
// 2. The per-token cost on the tiny model, one generation: a thread-pool round trip (node-llama-cpp
//    makes two per token, decode and sampling, where llama-server makes none), a bare
//    `sequence.evaluate()` loop, the engine's plain-text path (plain-generation.ts, which serves
//    requests without functions), `LlamaChat.generateResponse()` as the engine calls it for
//    requests with functions, and the whole server in-process (non-streamed). Each step's
//    difference is its share of the gap.
// 3. With AI_INFERENCE_BENCH_BASELINE_SERVER set to another build's `dist/server.js` (an older
//    commit's), that server against this build's, alternated: before and after.
// Contenders alternate in shuffled rounds (harness.ts); medians.
import { randomFill } from "node:crypto";
import {
  type BatchItem,
  type BatchingOptions,
  type ChatHistoryItem,
  type LlamaContext,
  LlamaChat,
  getLlama,
  resolveChatWrapper,
} from "node-llama-cpp";
import { createServer } from "ai-inference/server";
import { LockstepBatching } from "../src/server/engine/lockstep-batching.js";
import { generatePlainText, planPlainGeneration } from "../src/server/engine/plain-generation.js";
import { computeBoundModel, loadAverage, modelPath, tinyModel } from "./support/bench-models.js";
import { compare, smoke } from "./support/harness.js";

const sequences = 4;
const rounds = smoke ? 1 : 5;
const llama = await getLlama({ gpu: false, build: "never", skipDownload: true, maxThreads: 1 });
const story = (client: number): ChatHistoryItem[] => [
  { type: "user", text: `Tell me a long story about the sun and the trees, client ${client}.` },
  { type: "model", response: [] },
];
console.log(`load average at start: ${loadAverage()}`);

// ---- 1. Batching -------------------------------------------------------------------------------
{
  const model = computeBoundModel;
  const loaded = await llama.loadModel({ modelPath: await modelPath(model) });
  const chatWrapper = resolveChatWrapper(loaded) ?? undefined;
  const batches = { own: [] as number[], lockstep: [] as number[], ordered: [] as number[] };
  const lockstep = new LockstepBatching(({ sequences }) => batches.lockstep.push(sequences));
  const ordered = new LockstepBatching(({ sequences }) => batches.ordered.push(sequences));
  // node-llama-cpp's own dispatch, observed: its default strategy decodes every queued item in
  // full when they fit, as this one does.
  const own: BatchingOptions = {
    itemPrioritizationStrategy: ({ items }: { items: readonly BatchItem[] }) => {
      batches.own.push(items.length);
      return items.map((item) => ({ item, processAmount: item.tokens.length }));
    },
  };
  const contexts: Record<keyof typeof batches, LlamaContext> = {
    own: await loaded.createContext({ contextSize: 512, sequences, threads: 1, batching: own }),
    lockstep: await loaded.createContext({
      contextSize: 512,
      sequences,
      threads: 1,
      batching: lockstep.options,
    }),
    ordered: await loaded.createContext({
      contextSize: 512,
      sequences,
      threads: 1,
      batching: ordered.options,
    }),
  };
  ordered.attach(contexts.ordered);
  const batchings = { lockstep, ordered };
  const generate = (kind: keyof typeof batches) => () =>
    Promise.all(
      Array.from({ length: sequences }, async (_, client) => {
        const chat = new LlamaChat({ contextSequence: contexts[kind].getSequence(), chatWrapper });
        let leave: (() => void) | undefined;
        let count = 0;
        try {
          await chat.generateResponse(story(client), {
            maxTokens: model.tokens,
            temperature: 0,
            onToken: (tokens) => {
              count += tokens.length;
              if (kind !== "own") leave ??= batchings[kind].join();
            },
          });
        } finally {
          leave?.();
          // The sequence goes back to the context for the next round.
          chat.dispose({ disposeSequence: true });
        }
        if (count !== model.tokens) throw new Error(`${kind}: ${count} tokens, not ${model.tokens}.`);
      }),
    );
  const names = {
    own: "node-llama-cpp's own batching",
    lockstep: "LockstepBatching, the queue's order",
    ordered: "LockstepBatching, sequence order (the engine's)",
  };
  const kinds = ["own", "lockstep", "ordered"] as const;
  const results = await compare({
    title: `Batching: ${sequences} LlamaChat generations × ${model.tokens} tokens on one context, ${model.label} (load ${loadAverage()})`,
    reference: names.own,
    rounds,
    warmupRounds: 1,
    contenders: kinds.map((kind) => ({ name: names[kind], run: generate(kind) })),
  });
  console.log("\n| batching | tokens/s | batches per round | batch sizes (all rounds) |");
  console.log("| --- | ---: | ---: | --- |");
  for (const kind of kinds) {
    const sizes = batches[kind];
    const histogram = [...new Set(sizes)]
      .sort((a, b) => b - a)
      .map((size) => `${sizes.filter((s) => s === size).length} × ${size}`)
      .join(", ");
    const { medianMs } = results.find((r) => r.name === names[kind])!;
    const tokensPerSecond = ((sequences * model.tokens) / medianMs) * 1000;
    console.log(
      `| ${names[kind]} | ${tokensPerSecond.toFixed(1)} | ${(sizes.length / (rounds + 1)).toFixed(1)} | ${histogram} |`,
    );
  }
  for (const context of Object.values(contexts)) await context.dispose();
  await loaded.dispose();
}

// ---- 2. The per-token cost on the tiny model -------------------------------------------------------
{
  const tokens = tinyModel.tokens;
  const path = await modelPath(tinyModel);
  const loaded = await llama.loadModel({ modelPath: path });
  const chatWrapper = resolveChatWrapper(loaded) ?? undefined;
  const lockstep = new LockstepBatching();
  const context = await loaded.createContext({
    contextSize: 2048,
    sequences,
    threads: 1,
    batching: lockstep.options,
  });
  const sequence = context.getSequence();
  const state = chatWrapper!.generateContextState({ chatHistory: story(0) });
  const prompt = state.contextText.tokenize(loaded.tokenizer);
  const plan = planPlainGeneration({
    tokenizer: loaded.tokenizer,
    settings: chatWrapper!.settings,
    state,
    stop: [],
  });
  if (!plan) throw new Error("The tiny model's chat wrapper does not take the plain-text path.");
  const serverOptions = { modelPath: path, maxConcurrent: sequences, threads: 1, log: false as const };
  await using server = await createServer(serverOptions);
  const baselineModule = process.env.AI_INFERENCE_BENCH_BASELINE_SERVER;
  const baseline = baselineModule
    ? await ((await import(baselineModule)) as { createServer: typeof createServer }).createServer(
        serverOptions,
      )
    : undefined;
  const serverRow = (name: string, target: { fetch: typeof server.fetch }) => ({
    name,
    async run() {
      const response = await target.fetch("http://local/chat/completions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          messages: [
            { role: "user", content: "Tell me a long story about the sun and the trees, client 0." },
          ],
          max_tokens: tokens,
          temperature: 0,
        }),
      });
      const body = (await response.json()) as { usage?: { completion_tokens?: number } };
      if (body.usage?.completion_tokens !== tokens) throw new Error(`${name}: ${JSON.stringify(body)}`);
    },
  });
  const buffer = Buffer.alloc(1);
  const hop = () => new Promise((resolve) => randomFill(buffer, resolve));

  const contenders = [
    {
      name: "2 thread-pool round trips (crypto.randomFill)",
      async run() {
        for (let i = 0; i < tokens; i++) {
          await hop();
          await hop();
        }
      },
    },
    {
      name: "sequence.evaluate() loop, greedy",
      async run() {
        let count = 0;
        for await (const token of sequence.evaluate(prompt, { temperature: 0 })) {
          void token;
          if (++count === tokens) break;
        }
        await sequence.clearHistory();
      },
    },
    {
      name: "the plain-text path (generatePlainText), as the engine runs it",
      async run() {
        let leave: (() => void) | undefined;
        const before = sequence.tokenMeter.getState().usedOutputTokens;
        try {
          await generatePlainText({
            sequence,
            plan,
            prompt,
            maxTokens: tokens,
            sampling: { temperature: 0 },
            signal: new AbortController().signal,
            onText: () => undefined,
            onFirstToken: () => (leave ??= lockstep.join()),
          });
        } finally {
          leave?.();
        }
        await sequence.clearHistory();
        const count = sequence.tokenMeter.getState().usedOutputTokens - before;
        if (count !== tokens) throw new Error(`plain-text path: ${count} tokens, not ${tokens}.`);
      },
    },
    {
      name: "LlamaChat.generateResponse(), as the engine calls it",
      async run() {
        const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
        let leave: (() => void) | undefined;
        let count = 0;
        try {
          await chat.generateResponse(story(0), {
            maxTokens: tokens,
            temperature: 0,
            repeatPenalty: false,
            onTextChunk: () => undefined,
            onToken: (generated) => {
              count += generated.length;
              leave ??= lockstep.join();
            },
          });
        } finally {
          leave?.();
          chat.dispose({ disposeSequence: false });
        }
        await sequence.clearHistory();
        if (count !== tokens) throw new Error(`LlamaChat: ${count} tokens, not ${tokens}.`);
      },
    },
    serverRow("the server in-process, non-streamed", server),
  ];
  const results = await compare({
    title: `Per-token cost, tiny model, one generation of ${tokens} tokens (load ${loadAverage()})`,
    reference: contenders[3].name,
    rounds,
    warmupRounds: 1,
    contenders,
  });
  // The plain-text path and LlamaChat are alternatives, each over the same bare loop.
  console.log("\n| step | µs per token | above the bare evaluate() loop |");
  console.log("| --- | ---: | ---: |");
  const perToken = results.map(({ medianMs }) => (medianMs * 1000) / tokens);
  for (const [index, { name }] of results.entries()) {
    const above = index < 2 ? "" : (perToken[index] - perToken[1]).toFixed(1);
    console.log(`| ${name} | ${perToken[index].toFixed(1)} | ${above} |`);
  }
  if (baseline) {
    // 3. Before and after: the same requests on this build's server and on the baseline build's.
    const names = { after: "this build's server", before: "the baseline build's server" };
    const servers = await compare({
      title: `The server in-process, before and after, ${tokens} tokens (load ${loadAverage()})`,
      reference: names.before,
      rounds: rounds * 2,
      warmupRounds: 1,
      contenders: [serverRow(names.after, server), serverRow(names.before, baseline)],
    });
    for (const { name, medianMs } of servers) {
      console.log(`${name}: ${((medianMs * 1000) / tokens).toFixed(1)} µs per token`);
    }
    await baseline.close();
  }
  await context.dispose();
  await loaded.dispose();
}
console.log(`\nload average at the end: ${loadAverage()}`);
