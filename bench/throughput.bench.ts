// Issue 10, "Throughput, measured against llama.cpp's own server":
// 1. side by side: llama.cpp's `llama-server -np 4` against `ai-inference serve --max-concurrent 4`,
//    each in its own process, the same GGUF file, one thread, non-streamed, aggregate tokens/s at 1
//    and 4 clients, medians of 5 rounds with the two servers alternated in shuffled order each
//    round; for the tiny model (per-token overhead dominates) and a 38.6 M parameter random model
//    (compute dominates). Targets on the larger model: ≥ 0.95 of llama-server at 1 client, ≥ 0.9 at
//    4; on the tiny model, half the gap of 0.38 (≥ 0.69).
// 2. time to first token, p50 and p99, of streaming SDK clients (`ChatCompletionsClient`) at 1, 2,
//    4 and 8 clients against 4 slots;
// 3. twice the capacity (slots + queue) of streaming SDK clients: no request lost, none answered 5xx.
// Both models are written with the end-of-turn tokens banned, so every reply runs to max_tokens
// (checked). What the gaps are made of: llama-engine.bench.ts. llama-server is built from node-llama-cpp's own llama.cpp source only when asked:
// `npm run bench -- llama-server` (support/llama-server.ts); without it the side-by-side rows say so.
import os from "node:os";
import { ChatCompletionsClient, HttpResponseError, UserMessage } from "ai-inference";
import { getLlama } from "node-llama-cpp";
import {
  type BenchModel,
  cacheDir,
  computeBoundModel,
  loadAverage,
  modelPath,
  tinyModel,
} from "./support/bench-models.js";
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
const binary =
  cachedLlamaServer() ??
  (process.env.AI_INFERENCE_BENCH_BUILD_LLAMA_SERVER === "1" ? await buildLlamaServer() : undefined);
const models = [tinyModel, computeBoundModel];
const load = loadAverage;

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

// serve loads a llama.cpp built on this machine when one exists (docs/server.md, "llama.cpp built
// for this machine"), and node-llama-cpp's prebuilt binaries otherwise. When there is a local
// build, a second serve that is kept to the prebuilt binaries runs in the same rounds: a custom
// CMake option in its environment makes the local build's folder name not match, so node-llama-cpp
// falls back to its prebuilt binaries (it never builds: the engine passes build "never").
const probe = await getLlama({ gpu: false, build: "never", skipDownload: true, maxThreads: 1 });
const localBuild = probe.buildType === "localBuild";
await probe.dispose();
const serveVariants = localBuild
  ? [
      { name: "serve (prebuilt)", env: { NODE_LLAMA_CPP_CMAKE_OPTION_AI_INFERENCE_BENCH_PREBUILT: "1" } },
      { name: "serve (built here)" },
    ]
  : [{ name: "serve" }];
console.log(
  `serve's llama.cpp: ${localBuild ? "built on this machine, and the prebuilt binaries as a second contender" : "node-llama-cpp's prebuilt binaries"}`,
);

interface Row {
  model: BenchModel;
  clients: number;
  llamaServer?: number;
  /** Per serve variant: tokens/s, and its ratio to llama-server's. */
  serve: Map<string, { tokensPerSecond: number; ratio?: number }>;
}
const rows: Row[] = [];

for (const model of models) {
  const setup: ServerSetup = {
    modelPath: await modelPath(model),
    slots,
    contextPerSlot: 2048,
    logPath: `${cacheDir}llama-server.log`,
  };
  const serves: ServerProcess[] = [];
  for (const variant of serveVariants) serves.push(await startServe(setup, variant));
  const llamaServer = binary ? await startLlamaServer(binary, setup) : undefined;
  try {
    for (const clients of [1, 4]) {
      const tokensPerRound = clients * model.tokens;
      const round = (server: ServerProcess) => async () => {
        await Promise.all(Array.from({ length: clients }, (_, i) => complete(server, i, model.tokens)));
      };
      const contenders = serves.map((serve) => ({ name: serve.name, run: round(serve) }));
      if (llamaServer) contenders.unshift({ name: "llama-server", run: round(llamaServer) });
      const results = await compare({
        title: `${model.label}, ${clients} client${clients > 1 ? "s" : ""} × ${model.tokens} tokens, non-streamed, ${slots} slots (load ${load()})`,
        reference: llamaServer ? "llama-server" : serves[0].name,
        rounds,
        warmupRounds: 1,
        contenders,
      });
      const tokensPerSecond = (name: string) => {
        const result = results.find((r) => r.name === name);
        return result ? (tokensPerRound / result.medianMs) * 1000 : undefined;
      };
      const serve = new Map<string, { tokensPerSecond: number; ratio?: number }>();
      for (const { name } of serves) {
        const result = results.find((r) => r.name === name)!;
        serve.set(name, {
          tokensPerSecond: tokensPerSecond(name)!,
          ratio: llamaServer ? 1 / result.ratio : undefined,
        });
      }
      rows.push({ model, clients, llamaServer: tokensPerSecond("llama-server"), serve });
    }
  } finally {
    for (const serve of serves) await serve.stop();
    await llamaServer?.stop();
  }
}

const names = serveVariants.map((variant) => variant.name);
console.log(`\n## Side by side: aggregate tokens/s, medians of ${rounds} rounds (load ${load()})\n`);
console.log(
  `| model | clients | llama-server tok/s | ${names.map((name) => `\`${name}\` tok/s | ratio`).join(" | ")} |`,
);
console.log(`| --- | ---: | ---: | ${names.map(() => "---: | ---:").join(" | ")} |`);
for (const row of rows) {
  const llama = row.llamaServer === undefined ? "not built" : row.llamaServer.toFixed(0);
  const cells = names.map((name) => {
    const { tokensPerSecond, ratio } = row.serve.get(name)!;
    return `${tokensPerSecond.toFixed(0)} | ${ratio === undefined ? "–" : ratio.toFixed(2)}`;
  });
  console.log(`| ${row.model.label} | ${row.clients} | ${llama} | ${cells.join(" | ")} |`);
}
console.log("(ratio: the median of the per-round ratios to llama-server)");
if (!binary) console.log(`\nllama-server is not built: ${howToBuildLlamaServer}.`);
for (const row of rows) {
  for (const [name, { ratio }] of row.serve) {
    if (ratio === undefined) continue;
    target(
      `${row.model.label}, ${row.clients} clients: ${name} ÷ llama-server`,
      ratio,
      ">=",
      row.model.targets[row.clients],
    );
  }
}
for (const model of models) {
  const [one, four] = [1, 4].map((clients) => rows.find((r) => r.model === model && r.clients === clients)!);
  const serveGains = names.map(
    (name) =>
      `${name} ${(four.serve.get(name)!.tokensPerSecond / one.serve.get(name)!.tokensPerSecond).toFixed(2)}`,
  );
  console.log(
    `${model.label}: 4 clients ÷ 1 client: ${serveGains.join(", ")}` +
      (one.llamaServer && four.llamaServer
        ? `, llama-server ${(four.llamaServer / one.llamaServer).toFixed(2)}`
        : ""),
  );
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
