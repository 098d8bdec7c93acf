// Traces a tool-calling run (#13): one trace whose parent span is `invoke_agent`, with the run's chat
// spans and one `execute_tool` span per tool call as its children. Prints the trace as a tree.
// Needs @opentelemetry/api, @opentelemetry/sdk-trace-base and, for the parent-child links,
// a context manager (@opentelemetry/context-async-hooks; the Node.js SDK registers one itself).
// Run: npm run build && node --import tsx examples/tracing-tool-loop.ts
// (against AZURE_AI_CHAT_ENDPOINT if set, else the local server with the tiny test model)
import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import * as z from "zod";
import { UserMessage } from "ai-inference";
import { defineTool, runTools } from "ai-inference/tools";
import { enableTracing } from "ai-inference/tracing";
import { exampleClient } from "./support/example-client.js";

// In an application, NodeSDK (@opentelemetry/sdk-node) sets all of this up and exports the spans;
// here they are kept in memory so that the example can print them.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
// recordContent: tool arguments and results (and messages) on the spans. Off by default: see
// "Content recording" in docs/tracing.md before turning it on in production.
enableTracing({ tracerProvider: provider, recordContent: true });

const { client, close } = await exampleClient();
const weather = defineTool({
  name: "get_weather",
  description: "The current weather in a city",
  parameters: z.object({ city: z.string().max(20), unit: z.enum(["C", "F"]) }),
  execute: async ({ city, unit }) => ({ city, temperature: unit === "C" ? 21 : 70, unit }),
});
const result = await runTools(client, {
  messages: [new UserMessage("What is the weather in Paris?")],
  tools: [weather],
  maxRounds: 2,
  seed: 3,
  temperature: 0.7,
  maxTokens: 60,
});
await close();
console.log(`${result.rounds} requests, ${result.toolResults.length} tool call(s)`);

// The trace as a tree: each span under its parent, with the attributes that tell the story.
const spans = exporter.getFinishedSpans();
const children = (parent: string | undefined) =>
  spans
    .filter((span) => span.parentSpanContext?.spanId === parent)
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
const shown = [
  "gen_ai.usage.input_tokens",
  "gen_ai.usage.output_tokens",
  "gen_ai.response.finish_reasons",
  "gen_ai.tool.call.id",
  "gen_ai.tool.call.arguments",
  "gen_ai.tool.call.result",
  "error.type",
];
const print = (span: ReadableSpan, depth: number) => {
  const details = shown
    .filter((key) => span.attributes[key] !== undefined)
    .map((key) => `${key.replace(/^gen_ai\./, "")}=${JSON.stringify(span.attributes[key])}`);
  console.log(`${"  ".repeat(depth)}${span.name}${details.length > 0 ? `  (${details.join(", ")})` : ""}`);
  for (const child of children(span.spanContext().spanId)) print(child, depth + 1);
};
for (const root of children(undefined)) print(root, 0);
const traces = new Set(spans.map((span) => span.spanContext().traceId));
console.log(`${spans.length} spans in ${traces.size} trace(s)`);
await provider.shutdown();
