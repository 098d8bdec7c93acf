// Issue 10, "Throughput, measured against llama.cpp's own server":
// 1. side by side: llama.cpp's `llama-server -np 4` against `ai-inference serve --max-concurrent 4`,
//    each in its own process, the same GGUF file, one thread, non-streamed, aggregate tokens/s at 1
//    and 4 clients, medians of 5 rounds with the two servers alternated in shuffled order each
//    round; for the tiny model (per-token overhead dominates) and a 38.6 M parameter random model
//    (compute dominates). Targets on the larger model: ≥ 0.95 of llama-server at 1 client, ≥ 0.9 at
//    4; on the tiny model, half the gap of 0.38 (≥ 0.69).
//    Then the batching alone: node-llama-cpp in this process, its own batching against the engine's.
// 2. time to first token, p50 and p99, of streaming SDK clients (`ChatCompletionsClient`) at 1, 2,
//    4 and 8 clients against 4 slots;
// 3. twice the capacity (slots + queue) of streaming SDK clients: no request lost, none answered 5xx.
// Both models are written with the end-of-turn tokens banned, so every reply runs to max_tokens
// (checked). llama-server is built from node-llama-cpp's own llama.cpp source only when asked:
// `npm run bench -- llama-server` (support/llama-server.ts); without it the side-by-side rows say so.
import { mkdir, stat } from "node:fs/promises";
import os from "node:os";
import { type BatchItem, type LlamaContext, LlamaChat, getLlama, resolveChatWrapper } from "node-llama-cpp";
import { ChatCompletionsClient, HttpResponseError, UserMessage } from "ai-inference";
import { type TinyModelOptions, writeTinyModel } from "ai-inference/server";
import { LockstepBatching } from "../src/server/engine/lockstep-batching.js";
import { compare, smoke, target } from "./support/harness.js";
import { buildLlamaServer, cachedLlamaServer, howToBuildLlamaServer } from "./support/llama-server.js";
import {
  type ServerProcess,
  type ServerSetup,
  startLlamaServer,
  startServe,
} from "./support/server-processes.js";

const slots = 4;
const rounds = smoke ? 1 : 5;
const cacheDir = new URL("../.cache/bench/", import.meta.url).pathname;
await mkdir(cacheDir, { recursive: true });

const binary =
  cachedLlamaServer() ??
  (process.env.AI_INFERENCE_BENCH_BUILD_LLAMA_SERVER === "1" ? await buildLlamaServer() : undefined);

interface BenchModel {
  label: string;
  file: string;
  options: TinyModelOptions;
  /** max_tokens of each request in the side-by-side rounds. */
  tokens: number;
  /** The least ratio (serve ÷ llama-server) wanted at 1 and at 4 clients. */
  targets: Record<number, number>;
}

const models: BenchModel[] = [
  {
    label: "tiny (600 KB)",
    file: "tiny-no-eos.gguf",
    options: { eosBias: -1000 },
    tokens: smoke ? 40 : 1000,
    targets: { 1: 0.69, 4: 0.69 },
  },
  {
    label: "random 38.6 M parameters",
    file: "random-38m-no-eos.gguf",
    options: { embd: 768, layers: 6, ff: 2048, heads: 12, kvHeads: 4, eosBias: -1000, name: "random-38m" },
    tokens: smoke ? 8 : 128,
    targets: { 1: 0.95, 4: 0.9 },
  },
];

/** Writes the model unless an earlier run did (the writer renames a complete file into place). */
async function modelPath(model: BenchModel): Promise<string> {
  const path = `${cacheDir}${model.file}`;
  if (!(await stat(path).catch(() => undefined))) await writeTinyModel(path, model.options);
  return path;
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(", ");
console.log(
  `${os.cpus().length} × ${os.cpus()[0]?.model}; load average at start: ${load()} (1, 5, 15 min)\n` +
    `llama-server: ${binary ?? `not built; ${howToBuildLlamaServer}`}`,
);

/** One non-streamed request; returns its completion tokens, checked against max_tokens. */
async function complete(server: ServerProcess, client: number, tokens: number): Promise<number> {
  const response = await fetch(`${server.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      messages: [
        { role: "user", content: `Tell me a long story about the sun and the trees, client ${client}.` },
      ],
      max_tokens: tokens,
      temperature: 0,
    }),
  });
  if (!response.ok) throw new Error(`${server.name} answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { usage?: { completion_tokens?: number } };
  const generated = body.usage?.completion_tokens;
  if (generated !== tokens) throw new Error(`${server.name} generated ${generated} tokens, not ${tokens}.`);
  return generated;
}

// ---- 1. Side by side ----------------------------------------------------------------------------

interface Row {
  model: BenchModel;
  clients: number;
  serve: number;
  llamaServer?: number;
  ratio?: number;
}
const rows: Row[] = [];

for (const model of models) {
  const setup: ServerSetup = {
    modelPath: await modelPath(model),
    slots,
    contextPerSlot: 2048,
    logPath: `${cacheDir}llama-server.log`,
  };
  const serve = await startServe(setup);
  const llamaServer = binary ? await startLlamaServer(binary, setup) : undefined;
  try {
    for (const clients of [1, 4]) {
      const tokensPerRound = clients * model.tokens;
      const round = (server: ServerProcess) => async () => {
        await Promise.all(Array.from({ length: clients }, (_, i) => complete(server, i, model.tokens)));
      };
      const contenders = [{ name: "serve", run: round(serve) }];
      if (llamaServer) contenders.unshift({ name: "llama-server", run: round(llamaServer) });
      const results = await compare({
        title: `${model.label}, ${clients} client${clients > 1 ? "s" : ""} × ${model.tokens} tokens, non-streamed, ${slots} slots (load ${load()})`,
        reference: llamaServer ? "llama-server" : "serve",
        rounds,
        warmupRounds: 1,
        contenders,
      });
      const tokensPerSecond = (name: string) => {
        const result = results.find((r) => r.name === name);
        return result ? (tokensPerRound / result.medianMs) * 1000 : undefined;
      };
      const serveResult = results.find((r) => r.name === "serve")!;
      rows.push({
        model,
        clients,
        serve: tokensPerSecond("serve")!,
        llamaServer: tokensPerSecond("llama-server"),
        ratio: llamaServer ? 1 / serveResult.ratio : undefined,
      });
    }
  } finally {
    await serve.stop();
    await llamaServer?.stop();
  }
}

console.log(`\n## Side by side: aggregate tokens/s, medians of ${rounds} rounds (load ${load()})\n`);
console.log("| model | clients | llama-server tok/s | `serve` tok/s | ratio (median of per-round ratios) |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const row of rows) {
  const llama = row.llamaServer === undefined ? "not built" : row.llamaServer.toFixed(0);
  const ratio = row.ratio === undefined ? "–" : row.ratio.toFixed(2);
  console.log(`| ${row.model.label} | ${row.clients} | ${llama} | ${row.serve.toFixed(0)} | ${ratio} |`);
}
if (!binary) console.log(`\nllama-server is not built: ${howToBuildLlamaServer}.`);
for (const row of rows) {
  if (row.ratio === undefined) continue;
  target(
    `${row.model.label}, ${row.clients} clients: serve ÷ llama-server`,
    row.ratio,
    ">=",
    row.model.targets[row.clients],
  );
}
for (const model of models) {
  const [one, four] = [1, 4].map((clients) => rows.find((r) => r.model === model && r.clients === clients)!);
  console.log(
    `${model.label}: 4 clients ÷ 1 client: serve ${(four.serve / one.serve).toFixed(2)}` +
      (one.llamaServer && four.llamaServer
        ? `, llama-server ${(four.llamaServer / one.llamaServer).toFixed(2)}`
        : ""),
  );
}

// ---- 1b. The batching itself: node-llama-cpp directly, its own batching against the engine's ------

// Four LlamaChat generations on one context, in this process, as the engine runs them: the sizes
// of the batches decoded and the aggregate tokens/s, node-llama-cpp's default dispatch against
// LockstepBatching, alternated in shuffled rounds. The larger model: batching is what it rewards.
{
  const model = models[1];
  const llama = await getLlama({ gpu: false, build: "never", skipDownload: true, maxThreads: 1 });
  const loaded = await llama.loadModel({ modelPath: await modelPath(model) });
  const chatWrapper = resolveChatWrapper(loaded) ?? undefined;
  const batchSizes = new Map<string, number[]>();
  const setups = [
    { name: "node-llama-cpp batching", options: undefined, lockstep: undefined },
    (() => {
      const lockstep = new LockstepBatching(({ sequences }) =>
        batchSizes.get("lockstep batching")!.push(sequences),
      );
      return { name: "lockstep batching", options: lockstep.options, lockstep };
    })(),
  ];
  const contexts = new Map<string, LlamaContext>();
  for (const setup of setups) {
    batchSizes.set(setup.name, []);
    const options = setup.options ?? {
      // The default strategy, observed: every item processed in full, as maximumParallelism does here.
      itemPrioritizationStrategy: ({ items }: { items: readonly BatchItem[] }) => {
        batchSizes.get(setup.name)!.push(items.length);
        return items.map((item) => ({ item, processAmount: item.tokens.length }));
      },
    };
    contexts.set(
      setup.name,
      await loaded.createContext({ contextSize: 512, sequences: slots, threads: 1, batching: options }),
    );
  }
  const generate = (setup: (typeof setups)[number]) => async () => {
    const context = contexts.get(setup.name)!;
    await Promise.all(
      Array.from({ length: slots }, async (_, i) => {
        const sequence = context.getSequence();
        const chat = new LlamaChat({ contextSequence: sequence, chatWrapper });
        let leave: (() => void) | undefined;
        try {
          let count = 0;
          await chat.generateResponse(
            [
              { type: "user", text: `Tell me a long story about the sun and the trees, client ${i}.` },
              { type: "model", response: [] },
            ],
            {
              maxTokens: model.tokens,
              temperature: 0,
              onToken: (tokens) => {
                count += tokens.length;
                leave ??= setup.lockstep?.join();
              },
            },
          );
          if (count !== model.tokens) throw new Error(`${setup.name}: ${count} tokens, not ${model.tokens}.`);
        } finally {
          leave?.();
          chat.dispose();
        }
      }),
    );
  };
  const results = await compare({
    title: `node-llama-cpp directly, ${slots} sequences × ${model.tokens} tokens, ${model.label} (load ${load()})`,
    reference: "node-llama-cpp batching",
    rounds,
    warmupRounds: 1,
    contenders: setups.map((setup) => ({ name: setup.name, run: generate(setup) })),
  });
  for (const setup of setups) {
    const sizes = batchSizes.get(setup.name)!;
    const result = results.find((r) => r.name === setup.name)!;
    console.log(
      `${setup.name}: ${(((slots * model.tokens) / result.medianMs) * 1000).toFixed(1)} tokens/s; ` +
        `${(sizes.length / (rounds + 1)).toFixed(1)} batches per round for ${model.tokens} steps ` +
        `(sizes: ${[...new Set(sizes)]
          .sort()
          .map((n) => `${sizes.filter((x) => x === n).length} × ${n}`)
          .join(", ")})`,
    );
  }
  for (const context of contexts.values()) await context.dispose();
  await loaded.dispose();
}

// ---- 2. Time to first token, streaming SDK clients ----------------------------------------------

const streamTokens = smoke ? 8 : 32;
const requestsPerCount = smoke ? 8 : 200;

interface StreamOutcome {
  ttftMs?: number;
  outcome: "reply" | "short reply" | "429" | "5xx" | "lost";
  detail?: string;
}

/** One streamed call through the SDK: time to its first text, and how it ended. */
async function streamOnce(
  client: ChatCompletionsClient,
  label: string,
  onResponse?: (status: number) => void,
): Promise<StreamOutcome> {
  const start = performance.now();
  let ttftMs: number | undefined;
  try {
    const stream = await client.complete({
      messages: [new UserMessage(`Tell me about ${label}.`)],
      maxTokens: streamTokens,
      temperature: 0,
      stream: true,
      onResponse: onResponse && ((response) => onResponse(response.status)),
    });
    for await (const text of stream.textStream()) {
      if (ttftMs === undefined && text.length > 0) ttftMs = performance.now() - start;
    }
    const usage = (await stream.finalChatCompletions()).usage;
    return { ttftMs, outcome: usage?.completionTokens === streamTokens ? "reply" : "short reply" };
  } catch (error) {
    if (error instanceof HttpResponseError) {
      if (error.statusCode === 429) return { outcome: "429" };
      if (error.statusCode >= 500) return { outcome: "5xx", detail: error.message };
    }
    return { outcome: "lost", detail: (error as Error).message };
  }
}

/** `clients` SDK clients sharing `requests` streamed calls, each client one call at a time. */
async function streamLoad(
  url: string,
  clients: number,
  requests: number,
  onResponse?: (status: number) => void,
) {
  const client = new ChatCompletionsClient(url, null, { apiVersion: null });
  let next = 0;
  const outcomes: StreamOutcome[] = [];
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (next < requests) {
        const n = next++;
        outcomes.push(await streamOnce(client, `client ${c}, request ${n}`, onResponse));
      }
    }),
  );
  return outcomes;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

{
  const setup: ServerSetup = {
    modelPath: await modelPath(models[0]),
    slots,
    contextPerSlot: 2048,
    logPath: `${cacheDir}llama-server.log`,
  };
  const servers = [await startServe(setup)];
  if (binary) servers.push(await startLlamaServer(binary, setup));
  try {
    const table: string[] = [];
    for (const clients of [1, 2, 4, 8]) {
      // Warm-up, then the servers in shuffled order.
      for (const server of servers) await streamLoad(server.url, clients, clients);
      for (const server of [...servers].sort(() => Math.random() - 0.5)) {
        const outcomes = await streamLoad(server.url, clients, requestsPerCount);
        const failed = outcomes.filter((o) => o.outcome !== "reply");
        if (failed.length > 0)
          throw new Error(`${server.name}: ${failed.length} calls failed: ${failed[0].detail}`);
        const ttft = outcomes.map((o) => o.ttftMs!);
        table.push(
          `| ${server.name} | ${clients} | ${percentile(ttft, 50).toFixed(1)} | ${percentile(ttft, 99).toFixed(1)} |`,
        );
      }
    }
    console.log(
      `\n## Time to first token, streaming SDK clients, tiny model, ${streamTokens} tokens per reply, ` +
        `${requestsPerCount} calls per row, ${slots} slots (load ${load()})\n`,
    );
    console.log("| server | clients | p50 ms | p99 ms |");
    console.log("| --- | ---: | ---: | ---: |");
    for (const line of table.sort()) console.log(line);
  } finally {
    for (const server of servers) await server.stop();
  }
}

// ---- 3. Twice the capacity ---------------------------------------------------------------------

{
  const queue = 16;
  const capacity = slots + queue;
  const clients = 2 * capacity;
  const requests = smoke ? clients : clients * 3;
  const serve = await startServe({
    modelPath: await modelPath(models[0]),
    slots,
    queue,
    contextPerSlot: 2048,
    logPath: `${cacheDir}llama-server.log`,
  });
  try {
    const statuses = new Map<number, number>();
    const outcomes = await streamLoad(serve.url, clients, requests, (status) =>
      statuses.set(status, (statuses.get(status) ?? 0) + 1),
    );
    const counts = new Map<string, number>();
    for (const o of outcomes) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
    const ttft = outcomes.filter((o) => o.ttftMs !== undefined).map((o) => o.ttftMs!);
    console.log(
      `\n## Twice the capacity: ${clients} streaming SDK clients (retries on, Retry-After honoured), ` +
        `${requests} calls, serve with ${slots} slots + ${queue} queued (load ${load()})\n`,
    );
    console.log(`outcomes: ${[...counts].map(([k, v]) => `${v} ${k}`).join(", ")}`);
    console.log(
      `HTTP statuses seen by the client, retries included: ${[...statuses].map(([k, v]) => `${v} × ${k}`).join(", ")}`,
    );
    console.log(
      `time to first token of the replies: p50 ${percentile(ttft, 50).toFixed(0)} ms, p99 ${percentile(ttft, 99).toFixed(0)} ms`,
    );
    target(
      "calls lost (no answer, broken or short stream)",
      (counts.get("lost") ?? 0) + (counts.get("short reply") ?? 0),
      "<=",
      0,
    );
    target("calls answered 5xx", counts.get("5xx") ?? 0, "<=", 0);
  } finally {
    await serve.stop();
  }
}
console.log(`\nload average at the end: ${load()}`);
