// The server rows of quality.md Q4:
// 1. one client streaming 500 tokens from the tiny model through the server: tokens/s against
//    node-llama-cpp called directly in the same process, in the same run (target ≥ 0.9×);
// 2. 50 concurrent clients against the default capacity (1 running, 16 waiting): every request must
//    end in a clean reply or a 429 (target 100%).
// The tiny model is written with the end-of-turn tokens banned, so every run generates exactly the
// requested number of tokens (checked each round).
import { mkdir } from "node:fs/promises";
import { getLlama, LlamaChat, type ChatHistoryItem } from "node-llama-cpp";
import { createServer, writeTinyModel } from "ai-inference/server";
import { compare, smoke, target } from "./support/harness.js";

const tokens = smoke ? 40 : 500;
const clients = smoke ? 8 : 50;
const rounds = smoke ? 2 : 10;

const cacheDir = new URL("../.cache/bench/", import.meta.url).pathname;
await mkdir(cacheDir, { recursive: true });
const modelPath = `${cacheDir}tiny-no-eos.gguf`;
await writeTinyModel(modelPath, { eosBias: -1000 });

const prompt = "Tell me a long story about the sun and the trees.";
const request = {
  messages: [{ role: "user", content: prompt }],
  max_tokens: tokens,
  temperature: 0,
  stream: true,
  stream_options: { include_usage: true },
};

// node-llama-cpp directly: the same model file, threads and sampling as the server's engine.
const llama = await getLlama({
  gpu: false,
  build: "never",
  skipDownload: true,
  maxThreads: 1,
  logLevel: "warn" as never,
});
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize: 2048, threads: 1 });
const chat = new LlamaChat({ contextSequence: context.getSequence() });
const history: ChatHistoryItem[] = [
  { type: "user", text: prompt },
  { type: "model", response: [] },
];

const server = await createServer({ modelPath, log: false });
const url = await server.listen();

/** Reads an SSE body to the end; returns the usage of its last chunk. */
async function drain(response: Response): Promise<{ completion_tokens: number } | undefined> {
  const text = await response.text();
  const usage = text.match(/"usage":(\{[^}]*\})/g)?.at(-1);
  if (!text.endsWith("data: [DONE]\n\n")) throw new Error("The stream did not end with [DONE].");
  return usage ? JSON.parse(usage.slice(8)) : undefined;
}

function expectTokens(count: number | undefined, who: string): void {
  if (count !== tokens) throw new Error(`${who} generated ${count} tokens, not ${tokens}.`);
}

const results = await compare({
  title: `Server: one client streaming ${tokens} tokens (tiny model, greedy)`,
  reference: "node-llama-cpp direct",
  rounds,
  contenders: [
    {
      name: "node-llama-cpp direct",
      async run() {
        let count = 0;
        await chat.generateResponse(history, {
          maxTokens: tokens,
          temperature: 0,
          repeatPenalty: false,
          onToken: (t) => (count += t.length),
        });
        expectTokens(count, "node-llama-cpp");
      },
    },
    {
      name: "server, in-process fetch (SSE)",
      async run() {
        const response = await server.fetch("http://local/chat/completions", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(request),
        });
        expectTokens((await drain(response))?.completion_tokens, "the server");
      },
    },
    {
      name: "server over loopback HTTP (SSE)",
      async run() {
        const response = await fetch(`${url}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(request),
        });
        expectTokens((await drain(response))?.completion_tokens, "the server over HTTP");
      },
    },
  ],
});
const throughput = results.find((r) => r.name === "server, in-process fetch (SSE)")!;
const overHttp = results.find((r) => r.name === "server over loopback HTTP (SSE)")!;
const direct = results.find((r) => r.name === "node-llama-cpp direct")!;
console.log(
  `\ntokens/s: direct ${((tokens / direct.medianMs) * 1000).toFixed(0)}, ` +
    `server ${((tokens / throughput.medianMs) * 1000).toFixed(0)}, ` +
    `server over HTTP ${((tokens / overHttp.medianMs) * 1000).toFixed(0)}`,
);
target("server tokens/s ÷ direct tokens/s", 1 / throughput.ratio, ">=", 0.9);
target("server over HTTP tokens/s ÷ direct tokens/s", 1 / overHttp.ratio, ">=", 0.9);
await server.close();
chat.dispose();
await context.dispose();
await model.dispose();

// Row 2: concurrent clients over real loopback HTTP against the default capacity.
{
  await using loaded = await createServer({ modelPath, log: false });
  const url = await loaded.listen();
  const outcomes = await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      try {
        const response = await fetch(`${url}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            ...request,
            max_tokens: 50,
            messages: [{ role: "user", content: `client ${i}` }],
          }),
        });
        if (response.status === 429) {
          const body = (await response.json()) as { error?: { code?: string } };
          const clean =
            response.headers.get("retry-after") !== null && body.error?.code === "too_many_requests";
          return clean ? "429" : "bad 429";
        }
        if (response.status !== 200) return `status ${response.status}`;
        return (await drain(response))?.completion_tokens === 50 ? "reply" : "short reply";
      } catch (error) {
        return `failed: ${(error as Error).message}`;
      }
    }),
  );
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  console.log(`\n## Server: ${clients} concurrent clients (maxConcurrent 1, maxQueue 16)\n`);
  for (const [outcome, count] of counts) console.log(`| ${outcome} | ${count} |`);
  const clean = (counts.get("reply") ?? 0) + (counts.get("429") ?? 0);
  target("requests ending in a clean reply or a 429", clean / clients, ">=", 1);
}
