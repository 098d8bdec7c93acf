// Traces calls to the local server running the tiny test model (no network, no key) and prints
// each span to the console: one non-streamed call, one streamed call read to its end.
// Needs @opentelemetry/api and, for the console exporter, @opentelemetry/sdk-trace-base.
// Run: npm run build && npx tsx examples/tracing-local-server.ts
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { ChatCompletionsClient } from "ai-inference";
import { createServer, writeTinyModel } from "ai-inference/server";
import { enableTracing } from "ai-inference/tracing";

// Spans go to the console as they end. In an application, register your SDK's provider globally
// instead (e.g. NodeSDK from @opentelemetry/sdk-node) and call enableTracing() without one.
const provider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
});
enableTracing({ tracerProvider: provider, recordContent: true }); // content: prompts and answers on spans

const modelPath = join(await mkdtemp(join(tmpdir(), "ai-inference-")), "tiny.gguf");
await writeTinyModel(modelPath); // a 600 KB random model: it answers gibberish, quickly
await using server = await createServer({ modelPath, log: false });
const url = await server.listen({ port: 0 });

const client = new ChatCompletionsClient(url, null, { apiVersion: null, defaults: { temperature: 0 } });
const answer = await client.complete({ messages: [{ role: "user", content: "Hello!" }], maxTokens: 12 });
console.log("answer:", answer.choices[0].message.content);

// The span of a stream stays open while the stream is read, and ends with it.
const stream = await client.complete({
  messages: [{ role: "user", content: "Count." }],
  maxTokens: 12,
  stream: true,
});
for await (const text of stream.textStream()) process.stdout.write(text);
console.log();

await provider.shutdown();
