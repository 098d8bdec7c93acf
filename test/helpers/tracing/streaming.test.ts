// Streamed calls under ai-inference/tracing: the span stays open while the caller reads, records
// the time to the first chunk and the chunk count, and ends exactly once however the stream ends:
// read to its end, `break`, `close()`, an abort, an error mid-stream, or dropped unread.
import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SpanStatusCode } from "@opentelemetry/api";
import { AzureKeyCredential, ChatCompletionsClient } from "../../../src/index.js";
import { disableTracing, enableTracing } from "../../../src/helpers/tracing/index.js";
import { type ReplyPlan, useLoopbackServer } from "../../support/loopback-server.js";
import { startReplay } from "../../support/replay.js";
import { syntheticChatStream } from "../../support/synthetic-stream.js";
import { fixedSize } from "../../support/chunkings.js";
import { assertNoSecretsInSpans, collectGarbageUntil, recordSpans } from "../../support/spans.js";

const TOOL_STREAM =
  "test_client_tracing.pyTestClientTracingtest_chat_completion_with_function_call_streaming_tracing_content_recording_enabled";
const KEY = "sk-stream-secret-0123456789";
const spans = recordSpans();
const messages = [{ role: "user", content: "Count." }];

afterEach(() => {
  disableTracing();
  spans.reset();
});

/** The SSE body of `events` (event texts), optionally stalling after them. */
function sse(events: readonly string[], more: Partial<ReplyPlan> = {}): ReplyPlan {
  return { headers: { "content-type": "text/event-stream" }, chunks: events.map((e) => e), ...more };
}
const eventsOf = (bytes: Uint8Array) =>
  new TextDecoder()
    .decode(bytes)
    .split("\n\n")
    .filter((e) => e !== "")
    .map((e) => `${e}\n\n`);

describe("OT8 the Python reference's streamed tool-call recording, content on", () => {
  test("OT8 two streamed turns: two spans, each with its chunks, time to first chunk, usage and content", async (t) => {
    const replay = await startReplay(t, TOOL_STREAM, { split: (bytes) => fixedSize(bytes, 64) });
    enableTracing({ tracerProvider: spans.provider, recordContent: true });
    const client = new ChatCompletionsClient(replay.endpoint, new AzureKeyCredential(KEY));
    for (const entry of replay.recording.entries) {
      const body = entry.RequestBody as { messages: never[]; tools: never[] };
      const stream = await client.complete({ messages: body.messages, tools: body.tools, stream: true });
      for await (const _ of stream);
    }
    // The Python client asked `accept: application/json` even for streams; we ask for the stream.
    replay.verify({ headers: ["content-type", "extra-parameters"] });
    const [first, second] = spans.spans();
    const chunksOf = (i: number) => (replay.recording.entries[i].ResponseBody as string[]).length - 1; // [DONE]
    for (const [span, i] of [
      [first, 0],
      [second, 1],
    ] as const) {
      assert.equal(span.name, "chat");
      assert.equal(span.attributes["gen_ai.request.stream"], true);
      assert.equal(span.attributes["ai_inference.stream.chunk_count"], chunksOf(i));
      assert.equal(span.attributes["ai_inference.stream.end"], "done");
      const ttfc = span.attributes["gen_ai.response.time_to_first_chunk"] as number;
      const durationS = span.duration[0] + span.duration[1] / 1e9;
      assert.ok(
        ttfc > 0 && ttfc <= durationS,
        `time to first chunk ${ttfc} s within the span's ${durationS} s`,
      );
      assert.equal(span.status.code, SpanStatusCode.UNSET);
    }
    assert.deepEqual(first.attributes["gen_ai.response.finish_reasons"], ["tool_calls"]);
    assert.equal(first.attributes["gen_ai.response.id"], "247dc7bb9ff24038968299edbd32740a");
    assert.equal(first.attributes["gen_ai.response.model"], "mistral-large-2411");
    assert.equal(first.attributes["gen_ai.usage.input_tokens"], 100);
    assert.equal(first.attributes["gen_ai.usage.output_tokens"], 23);
    assert.deepEqual(JSON.parse(first.attributes["gen_ai.output.messages"] as string), [
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "Sanitized", name: "get_weather", arguments: { city: "Seattle" } }],
        finish_reason: "tool_call",
      },
    ]);
    assert.deepEqual(JSON.parse(first.attributes["gen_ai.tool.definitions"] as string), [
      {
        type: "function",
        name: "get_weather",
        description: "Returns description of the weather in the specified city",
        parameters: {
          type: "object",
          properties: {
            city: { type: "string", description: "The name of the city for which weather info is requested" },
          },
          required: ["city"],
        },
      },
    ]);
    assert.deepEqual(JSON.parse(second.attributes["gen_ai.input.messages"] as string), [
      { role: "system", parts: [{ type: "text", content: "You are a helpful AI assistant." }] },
      { role: "user", parts: [{ type: "text", content: "What is the weather in Seattle?" }] },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "Sanitized", name: "get_weather", arguments: { city: "Seattle" } }],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "Sanitized", response: "Nice weather" }] },
    ]);
    const secondAnswer = JSON.parse(second.attributes["gen_ai.output.messages"] as string);
    assert.match(secondAnswer[0].parts[0].content, /get_weather/, "the second turn's streamed text, whole");
    assertNoSecretsInSpans(spans.spans(), [KEY]);
  });

  test("OT8 finalChatCompletions() alone reads the stream and ends the span the same way", async (t) => {
    const replay = await startReplay(t, TOOL_STREAM);
    enableTracing({ tracerProvider: spans.provider });
    const client = new ChatCompletionsClient(replay.endpoint, new AzureKeyCredential(KEY));
    const body = replay.recording.entries[0].RequestBody as { messages: never[]; tools: never[] };
    const stream = await client.complete({ messages: body.messages, tools: body.tools, stream: true });
    assert.equal(spans.spans().length, 0, "open until read");
    await stream.finalChatCompletions();
    const span = spans.only();
    assert.equal(span.attributes["ai_inference.stream.chunk_count"], 2);
    assert.deepEqual(span.attributes["gen_ai.response.finish_reasons"], ["tool_calls"]);
    assert.equal(span.attributes["gen_ai.output.messages"], undefined, "content off");
  });
});

describe("OT9 a stream's span always ends, once", () => {
  const events = eventsOf(syntheticChatStream(8).bytes);

  test("OT9 `break` after two updates: closed, with the two chunks and what they carried", async (t) => {
    const server = await useLoopbackServer(t, sse(events.slice(0, 3), { stallAfterHeaders: true }));
    enableTracing({ tracerProvider: spans.provider });
    const stream = await new ChatCompletionsClient(server.url, null).complete({ messages, stream: true });
    let read = 0;
    for await (const _ of stream) {
      assert.equal(spans.spans().length, 0, "open while the stream is");
      if (++read === 2) break;
    }
    const span = spans.only();
    assert.equal(span.attributes["ai_inference.stream.end"], "closed");
    assert.ok((span.attributes["ai_inference.stream.chunk_count"] as number) >= 2);
    assert.equal(span.attributes["gen_ai.response.model"], "gpt-4o-2024-08-06");
    assert.equal(span.attributes["gen_ai.response.finish_reasons"], undefined, "no finish reason arrived");
    assert.equal(span.status.code, SpanStatusCode.UNSET, "closing early is no error");
  });

  test("OT9 close() before reading anything: closed, no chunk", async (t) => {
    const server = await useLoopbackServer(t, sse([], { stallAfterHeaders: true }));
    enableTracing({ tracerProvider: spans.provider });
    const stream = await new ChatCompletionsClient(server.url, null).complete({ messages, stream: true });
    stream.close();
    stream.close();
    const span = spans.only();
    assert.equal(span.attributes["ai_inference.stream.end"], "closed");
    assert.equal(span.attributes["ai_inference.stream.chunk_count"], 0);
    assert.equal(span.attributes["gen_ai.response.time_to_first_chunk"], undefined);
  });

  test("OT9 an abort while reading: error.type AbortError, status ERROR, ended at the abort", async (t) => {
    const server = await useLoopbackServer(t, sse(events.slice(0, 2), { stallAfterHeaders: true }));
    enableTracing({ tracerProvider: spans.provider });
    const controller = new AbortController();
    const stream = await new ChatCompletionsClient(server.url, null).complete({
      messages,
      stream: true,
      abortSignal: controller.signal,
    });
    const reading = (async () => {
      for await (const _ of stream) controller.abort();
    })();
    await assert.rejects(reading, { name: "AbortError" });
    const span = spans.only();
    assert.equal(span.attributes["error.type"], "AbortError");
    assert.equal(span.attributes["ai_inference.stream.end"], "error");
    assert.equal(span.status.code, SpanStatusCode.ERROR);
  });

  test("OT9 an abort between reads ends the span at once, before the reader hears of it", async (t) => {
    const server = await useLoopbackServer(t, sse(events.slice(0, 2), { stallAfterHeaders: true }));
    enableTracing({ tracerProvider: spans.provider });
    const controller = new AbortController();
    const stream = await new ChatCompletionsClient(server.url, null).complete({
      messages,
      stream: true,
      abortSignal: controller.signal,
    });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    assert.equal(spans.only().attributes["error.type"], "AbortError", "ended without another read");
    await assert.rejects(iterator.next(), { name: "AbortError" });
    assert.equal(spans.spans().length, 1, "once");
  });

  test("OT9 an error mid-stream: the service's error, with what had arrived", async (t) => {
    const error = 'data: {"error":{"code":"server_error","message":"The model crashed."}}\n\n';
    const server = await useLoopbackServer(t, sse([...events.slice(0, 3), error]));
    enableTracing({ tracerProvider: spans.provider, recordContent: true });
    const stream = await new ChatCompletionsClient(server.url, null).complete({ messages, stream: true });
    const failure = await (async () => {
      for await (const _ of stream);
    })().catch((e: Error) => e);
    assert.ok(failure instanceof Error);
    const span = spans.only();
    assert.equal(span.attributes["error.type"], "HttpResponseError");
    assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: failure.message });
    assert.equal(span.attributes["ai_inference.stream.chunk_count"], 3);
    const output = JSON.parse(span.attributes["gen_ai.output.messages"] as string);
    assert.equal(output[0].finish_reason, "error", "the partial answer, marked as failed");
  });

  test("OT9 a broken connection mid-stream: ServiceResponseError", async (t) => {
    const server = await useLoopbackServer(
      t,
      sse(events.slice(0, 2), { resetAfterHeaders: true, pauseMs: 5 }),
    );
    enableTracing({ tracerProvider: spans.provider });
    const stream = await new ChatCompletionsClient(server.url, null).complete({ messages, stream: true });
    await assert.rejects(stream.finalChatCompletions());
    const span = spans.only();
    assert.equal(span.attributes["error.type"], "ServiceResponseError");
    assert.equal(span.status.code, SpanStatusCode.ERROR);
  });

  test("OT9 a stream dropped unread ends as abandoned when garbage-collected", async (t) => {
    const server = await useLoopbackServer(t, sse(events));
    enableTracing({ tracerProvider: spans.provider });
    await new ChatCompletionsClient(server.url, null).complete({ messages, stream: true }); // dropped
    assert.equal(spans.spans().length, 0, "still open while the stream lives");
    await collectGarbageUntil(() => spans.spans().length > 0);
    const span = spans.only();
    assert.equal(span.attributes["ai_inference.stream.end"], "abandoned");
    assert.equal(span.status.code, SpanStatusCode.UNSET);
  });

  test("OT9 a stream that fails to open ends its span with the error", async (t) => {
    const server = await useLoopbackServer(t, {
      status: 429,
      headers: { "retry-after-ms": "1" },
      body: { error: { message: "slow down" } },
    });
    enableTracing({ tracerProvider: spans.provider });
    const client = new ChatCompletionsClient(server.url, null, { maxRetries: 1 });
    await assert.rejects(client.complete({ messages, stream: true }), { name: "RateLimitError" });
    assert.equal(server.requests.length, 2);
    const span = spans.only();
    assert.equal(span.attributes["error.type"], "429");
    assert.equal(span.attributes["ai_inference.stream.end"], "error");
  });
});
