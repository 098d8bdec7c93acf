// ai-inference/tracing against the local server over HTTP, with the real llama engine and the tiny
// model: chat, streamed chat and embeddings spans, and HTTP spans nesting under the GenAI span
// (the call's requests run in its context).
import { after, afterEach, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SpanKind, context, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { ChatCompletionsClient, EmbeddingsClient } from "../../../src/index.js";
import { disableTracing, enableTracing } from "../../../src/helpers/tracing/index.js";
import type { InferenceServer } from "../../../src/server/index.js";
import { startTinyServer } from "../../support/tiny-server.js";
import { recordSpans } from "../../support/spans.js";

let server: InferenceServer;
let url: string;
before(async () => {
  server = await startTinyServer();
  url = await server.listen({ port: 0 });
});
after(() => server.close());

const spans = recordSpans();
afterEach(() => {
  disableTracing();
  spans.reset();
});
const messages = [{ role: "user", content: "Say something." }];

describe("OT15 the local server with the tiny model", () => {
  test("OT15 a chat call: request parameters as sent, the server's answer on the span", async () => {
    enableTracing({ tracerProvider: spans.provider, recordContent: true });
    const client = new ChatCompletionsClient(url, null, {
      apiVersion: null,
      defaults: { temperature: 0, seed: 7 },
    });
    const answer = await client.complete({ messages, maxTokens: 8, model: "tiny" });
    const span = spans.only();
    assert.equal(span.name, "chat tiny");
    assert.equal(span.attributes["gen_ai.provider.name"], "openai");
    assert.equal(span.attributes["server.port"], Number(new URL(url).port));
    assert.equal(span.attributes["gen_ai.request.max_tokens"], 8);
    assert.equal(span.attributes["gen_ai.request.temperature"], 0);
    assert.equal(span.attributes["gen_ai.request.seed"], 7);
    assert.equal(span.attributes["gen_ai.response.id"], answer.id);
    assert.equal(span.attributes["gen_ai.response.model"], answer.model);
    assert.deepEqual(span.attributes["gen_ai.response.finish_reasons"], [answer.choices[0].finishReason]);
    assert.equal(span.attributes["gen_ai.usage.output_tokens"], answer.usage!.completionTokens);
    assert.equal(span.attributes["gen_ai.usage.input_tokens"], answer.usage!.promptTokens);
    const output = JSON.parse(span.attributes["gen_ai.output.messages"] as string);
    assert.equal(output[0].parts[0].content, answer.choices[0].message.content);
  });

  test("OT15 a streamed call: chunk count, time to first chunk, the accumulated answer's usage", async () => {
    enableTracing({ tracerProvider: spans.provider });
    const client = new ChatCompletionsClient(url, null, { apiVersion: null });
    const stream = await client.complete({ messages, maxTokens: 12, stream: true });
    let updates = 0;
    for await (const _ of stream) updates++;
    const answer = await stream.finalChatCompletions();
    const span = spans.only();
    assert.equal(span.attributes["gen_ai.request.stream"], true);
    assert.equal(span.attributes["ai_inference.stream.chunk_count"], updates);
    assert.equal(span.attributes["ai_inference.stream.end"], "done");
    assert.equal(typeof span.attributes["gen_ai.response.time_to_first_chunk"], "number");
    assert.ok(answer.usage !== undefined, "the server sends usage when asked (include_usage)");
    assert.equal(span.attributes["gen_ai.usage.output_tokens"], answer.usage!.completionTokens);
    assert.deepEqual(span.attributes["gen_ai.response.finish_reasons"], [answer.choices[0].finishReason]);
  });
});

describe("OT14 embeddings", () => {
  test("OT14 an embeddings call makes an `embeddings` span, no content even when recording is on", async () => {
    enableTracing({ tracerProvider: spans.provider, recordContent: true });
    const client = new EmbeddingsClient(url, null, { apiVersion: null });
    const result = await client.embed({ input: ["sun", "moon"], model: "tiny", encodingFormat: "float" });
    const span = spans.only();
    assert.equal(span.name, "embeddings tiny");
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.equal(span.attributes["gen_ai.operation.name"], "embeddings");
    assert.deepEqual(span.attributes["gen_ai.request.encoding_formats"], ["float"]);
    assert.equal(span.attributes["gen_ai.usage.input_tokens"], result.usage.promptTokens);
    assert.equal(span.attributes["gen_ai.response.model"], result.model);
    assert.equal(span.attributes["gen_ai.input.messages"], undefined);
    assert.equal(span.attributes["gen_ai.output.messages"], undefined);
    assert.equal(span.attributes["gen_ai.request.stream"], undefined, "a chat attribute only");
  });
});

describe("OT16 the call's requests run in its span's context", () => {
  test("OT16 a span started during the request (as HTTP instrumentation does) is the GenAI span's child", async (t) => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    t.after(() => context.disable());
    enableTracing({ tracerProvider: spans.provider });
    const tracer = spans.provider.getTracer("http-test");
    // A fetch that traces itself, the way @opentelemetry/instrumentation-undici would.
    const client = new ChatCompletionsClient(url, null, {
      apiVersion: null,
      fetch: (input, init) =>
        tracer.startActiveSpan("POST", async (span) => {
          try {
            return await globalThis.fetch(input, init);
          } finally {
            span.end();
          }
        }),
    });
    const parent = tracer.startSpan("app");
    await context.with(trace.setSpan(context.active(), parent), () =>
      client.complete({ messages, maxTokens: 4 }),
    );
    parent.end();
    const [http, chat, app] = spans.spans();
    assert.deepEqual([http.name, chat.name, app.name], ["POST", "chat", "app"]);
    assert.equal(http.parentSpanContext?.spanId, chat.spanContext().spanId, "HTTP under the GenAI span");
    assert.equal(
      chat.parentSpanContext?.spanId,
      app.spanContext().spanId,
      "the GenAI span under the caller's",
    );
    assert.equal(http.spanContext().traceId, app.spanContext().traceId);
  });
});
