import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AbortError,
  HttpResponseError,
  RequestTimeoutError,
  ServiceResponseError,
} from "../../src/errors.js";
import type { StreamingChatCompletionsUpdate } from "../../src/models/index.js";
import { StreamingChatCompletions } from "../../src/streaming/stream.js";
import { MemoryResponse, MemorySource, reset, sourceOf } from "../support/memory-source.js";

const event = (json: unknown): string => `data: ${JSON.stringify(json)}\n\n`;
const content = (text: string): string =>
  event({
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
  });
const DONE = "data: [DONE]\n\n";

/** Iterates to the end; returns the contents seen and the error thrown, if any. */
async function drain(stream: StreamingChatCompletions): Promise<{ seen: string[]; error: unknown }> {
  const seen: string[] = [];
  try {
    for await (const update of stream) seen.push(contentOf(update));
  } catch (error) {
    return { seen, error };
  }
  return { seen, error: undefined };
}
const contentOf = (update: StreamingChatCompletionsUpdate): string => update.text;
const partialText = (error: unknown): unknown =>
  (error as HttpResponseError).partial?.choices[0]?.message.content;

test("P5.4 data with a top-level error throws HttpResponseError after the updates before it", async () => {
  const source = sourceOf(
    [
      content("a") +
        content("b") +
        event({ error: { code: "content_filter", message: "The response was filtered." } }) +
        content("never"),
    ],
    { requestId: "r1", headers: { "x-request-id": "svc-1" } },
  );
  const { seen, error } = await drain(new StreamingChatCompletions(source));
  assert.deepEqual(seen, ["a", "b"]);
  assert.ok(error instanceof HttpResponseError);
  assert.equal(error.statusCode, 200);
  assert.equal(error.code, "content_filter");
  assert.equal(error.message, "200 The response was filtered.");
  assert.equal(error.requestId, "r1");
  assert.equal(error.serviceRequestId, "svc-1");
  assert.equal(partialText(error), "ab");
  assert.deepEqual(source.reconnects, [], "never retried");
  assert.equal(source.first.closeCalls, 1);
});

test("P5.4 an event named error throws HttpResponseError, JSON or plain text", async () => {
  const json = await drain(
    new StreamingChatCompletions(
      sourceOf([
        content("a"),
        'event: error\ndata: {"error":{"code":"overloaded","message":"Try later"}}\n\n',
      ]),
    ),
  );
  assert.ok(json.error instanceof HttpResponseError);
  assert.equal(json.error.code, "overloaded");
  assert.match(json.error.message, /^200 Try later/);
  assert.equal(partialText(json.error), "a");
  const text = await drain(new StreamingChatCompletions(sourceOf(["event: error\ndata: upstream died\n\n"])));
  assert.ok(text.error instanceof HttpResponseError);
  assert.equal(text.error.message, "200 upstream died");
  assert.equal(text.error.partial, undefined, "nothing had arrived");
});

test("P5.4 an in-stream error before any update is not retried", async () => {
  const source = new MemorySource({
    responses: [
      new MemoryResponse([event({ error: { message: "bad" } })]),
      new MemoryResponse([content("x")]),
    ],
  });
  const { error } = await drain(new StreamingChatCompletions(source));
  assert.ok(error instanceof HttpResponseError);
  assert.equal(source.reconnects.length, 0);
});

test("P5.4 finalChatCompletions rejects with the same error", async () => {
  const stream = new StreamingChatCompletions(sourceOf([content("a"), event({ error: { message: "bad" } })]));
  const error = await stream.finalChatCompletions().catch((e: unknown) => e);
  assert.ok(error instanceof HttpResponseError);
  assert.equal(partialText(error), "a");
  await assert.rejects(stream.finalChatCompletions(), (again) => again === error);
});

test("P5.10 a reset before the first update re-sends the request and continues on the new response", async () => {
  const first = new MemoryResponse(['data: {"choices":[{"index":0,"delta":{"content":"tru', reset()], {
    requestId: "r1",
  });
  const second = new MemoryResponse([content("Hello"), DONE], {
    requestId: "r2",
    headers: { "x-attempt": "2" },
  });
  const source = new MemorySource({ responses: [first, second] });
  const stream = new StreamingChatCompletions(source);
  assert.equal(stream.requestId, "r1");
  const { seen, error } = await drain(stream);
  assert.equal(error, undefined);
  assert.deepEqual(seen, ["Hello"]);
  assert.equal(source.reconnects.length, 1);
  assert.ok(source.reconnects[0] instanceof ServiceResponseError);
  assert.equal(stream.requestId, "r2", "the latest attempt's");
  assert.equal(stream.headers.get("x-attempt"), "2");
  assert.equal(first.closeCalls, 1);
  assert.equal(
    (await stream.finalChatCompletions()).choices[0].message.content,
    "Hello",
    "nothing of the first attempt",
  );
});

test("P5.10 a reset with no updates at all, repeated, ends with the error reconnect rejects with", async () => {
  const source = new MemorySource({
    responses: [new MemoryResponse([reset()]), new MemoryResponse([reset("again")])],
  });
  const { error } = await drain(new StreamingChatCompletions(source));
  assert.equal(source.reconnects.length, 2);
  assert.ok(error instanceof ServiceResponseError);
  assert.match(error.message, /again/);
  assert.equal(error.partial, undefined);
});

test("P5.10 a failure after the first update is not retried and carries partial", async () => {
  const source = new MemorySource({
    responses: [
      new MemoryResponse([content("par"), content("tial"), reset()]),
      new MemoryResponse([content("x")]),
    ],
  });
  const { seen, error } = await drain(new StreamingChatCompletions(source));
  assert.deepEqual(seen, ["par", "tial"]);
  assert.ok(error instanceof ServiceResponseError);
  assert.equal(partialText(error), "partial");
  assert.equal(source.reconnects.length, 0);
});

test("P5.10 a failure after an update with empty choices is not retried either", async () => {
  const source = new MemorySource({
    responses: [
      new MemoryResponse([event({ choices: [], prompt_filter_results: [] }), reset()]),
      new MemoryResponse([]),
    ],
  });
  const { error } = await drain(new StreamingChatCompletions(source));
  assert.ok(error instanceof ServiceResponseError);
  assert.equal(source.reconnects.length, 0);
  assert.deepEqual(error.partial?.asDict().choices, []);
});

test("P5.10 a transport error that is not one of ours becomes ServiceResponseError with its cause", async () => {
  const cause = new TypeError("terminated");
  const { error } = await drain(new StreamingChatCompletions(sourceOf([content("a"), { error: cause }])));
  assert.ok(error instanceof ServiceResponseError);
  assert.equal(error.cause, cause);
  assert.equal(partialText(error), "a");
});

test("P5.11 an idle timeout after the first update fails with RequestTimeoutError and partial", async () => {
  const response = new MemoryResponse([content("a"), { stall: true }]);
  const source = new MemorySource({
    responses: [response, new MemoryResponse([content("x")])],
    idleTimeoutMs: 20,
  });
  const { seen, error } = await drain(new StreamingChatCompletions(source));
  assert.deepEqual(seen, ["a"]);
  assert.ok(error instanceof RequestTimeoutError);
  assert.match(error.message, /20 ms/);
  assert.equal(partialText(error), "a");
  assert.equal(response.closeCalls, 1, "the connection is closed");
  assert.equal(source.reconnects.length, 0);
});

test("P5.11 the idle timer restarts with every read: slow but steady streams do not time out", async () => {
  const steps = Array.from({ length: 6 }, (_, i) => [{ pauseMs: 10 }, content(String(i))]).flat();
  const { seen, error } = await drain(
    new StreamingChatCompletions(sourceOf([...steps, DONE], { idleTimeoutMs: 200 })),
  );
  assert.equal(error, undefined);
  assert.deepEqual(seen, ["0", "1", "2", "3", "4", "5"]);
});

test("P5.10 an idle timeout before the first update re-sends the request", async () => {
  const silent = new MemoryResponse([{ stall: true }]);
  const source = new MemorySource({
    responses: [silent, new MemoryResponse([content("ok"), DONE])],
    idleTimeoutMs: 20,
  });
  const { seen, error } = await drain(new StreamingChatCompletions(source));
  assert.equal(error, undefined);
  assert.deepEqual(seen, ["ok"]);
  assert.equal(source.reconnects.length, 1);
  assert.ok(source.reconnects[0] instanceof RequestTimeoutError);
  assert.equal(silent.closeCalls, 1);
});

test("P4.5 abort mid-stream fails with AbortError (cause: the reason), partial, and closes", async () => {
  const controller = new AbortController();
  const response = new MemoryResponse([content("a"), content("b"), { stall: true }]);
  const source = new MemorySource({ responses: [response], abortSignal: controller.signal });
  const stream = new StreamingChatCompletions(source);
  const reason = new Error("user left");
  const seen: string[] = [];
  const error = await (async () => {
    for await (const update of stream) {
      seen.push(update.text);
      if (seen.length === 2) setTimeout(() => controller.abort(reason), 5);
    }
  })().catch((e: unknown) => e);
  assert.deepEqual(seen, ["a", "b"]);
  assert.ok(error instanceof AbortError);
  assert.equal(error.cause, reason);
  assert.equal(partialText(error), "ab");
  assert.equal(response.closeCalls, 1);
  assert.equal(source.reconnects.length, 0);
});

test("P4.5 abort between updates stops at once, even with updates already decoded", async () => {
  const controller = new AbortController();
  const stream = new StreamingChatCompletions(
    sourceOf([content("a") + content("b") + content("c")], { abortSignal: controller.signal }),
  );
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  controller.abort();
  const error = await iterator.next().catch((e: unknown) => e);
  assert.ok(error instanceof AbortError);
  assert.ok(error.cause instanceof DOMException, "the signal's default reason");
  assert.equal(partialText(error), "abc", "what arrived, delivered or not");
  assert.deepEqual(await iterator.next(), { done: true, value: undefined }, "thrown once");
});

test("P4.5 a signal aborted before the first read fails at once and is never retried", async () => {
  const source = sourceOf([content("a")], { abortSignal: AbortSignal.abort("gone") });
  const { seen, error } = await drain(new StreamingChatCompletions(source));
  assert.deepEqual(seen, []);
  assert.ok(error instanceof AbortError);
  assert.equal(error.cause, "gone");
  assert.equal(error.partial, undefined);
  assert.equal(source.reconnects.length, 0);
  assert.equal(source.first.closeCalls, 1);
});

test("P5.10 an event whose data is not JSON fails the stream with ServiceResponseError and partial", async () => {
  const source = sourceOf([content("a"), "data: {not json\n\n", content("b")]);
  const { seen, error } = await drain(new StreamingChatCompletions(source));
  assert.deepEqual(seen, ["a"]);
  assert.ok(error instanceof ServiceResponseError);
  assert.match(error.message, /not a JSON object: \{not json/);
  assert.equal(partialText(error), "a");
  assert.equal(source.reconnects.length, 0);
});

test("P5.10 a final event cut short by the server's clean close is a failure, not an update", async () => {
  const { seen, error } = await drain(
    new StreamingChatCompletions(sourceOf([content("a"), 'data: {"choices":[{"ind'])),
  );
  assert.deepEqual(seen, ["a"]);
  assert.ok(error instanceof ServiceResponseError);
});
