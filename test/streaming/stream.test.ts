import { test } from "node:test";
import assert from "node:assert/strict";
import { ChatCompletions, StreamingChatCompletionsUpdate } from "../../src/models/index.js";
import { StreamingChatCompletions } from "../../src/streaming/stream.js";
import { MemoryResponse, MemorySource, sourceOf } from "../support/memory-source.js";

const event = (json: unknown): string => `data: ${JSON.stringify(json)}\n\n`;
const content = (text: string, extra: Record<string, unknown> = {}): string =>
  event({
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
    ...extra,
  });
const stop = event({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
});
const DONE = "data: [DONE]\n\n";
const body = [content("Hel"), content("lo"), content(" world"), stop, DONE];

const texts = (updates: StreamingChatCompletionsUpdate[]): string[] => updates.map((u) => u.text);

test("P5.7 iterates every update as a StreamingChatCompletionsUpdate, then ends", async () => {
  const source = sourceOf([body.join("")]);
  const stream = new StreamingChatCompletions(source);
  const updates: StreamingChatCompletionsUpdate[] = [];
  for await (const update of stream) updates.push(update);
  assert.ok(updates.every((u) => u instanceof StreamingChatCompletionsUpdate));
  assert.deepEqual(texts(updates), ["Hel", "lo", " world", ""]);
  assert.equal(updates[3].choices![0].finishReason, "stop");
  assert.equal(source.first.closeCalls, 1, "the response is released once the stream is done");
});

test("P5.7 a stream can be read once", async () => {
  const stream = new StreamingChatCompletions(sourceOf(body));
  for await (const _ of stream) break;
  assert.throws(() => stream[Symbol.asyncIterator](), /can be read once/);
});

test("P5.7 a second reader of any kind is refused with a TypeError", async () => {
  const stream = new StreamingChatCompletions(sourceOf(body));
  stream[Symbol.asyncIterator]();
  assert.throws(() => stream.toReadableStream(), TypeError);
  await assert.rejects(stream.textStream().next(), TypeError);
});

test("P5.7 breaking out of for await closes the connection", async () => {
  const response = new MemoryResponse(body);
  const stream = new StreamingChatCompletions(new MemorySource({ responses: [response] }));
  for await (const update of stream) {
    assert.equal(update.text, "Hel");
    break;
  }
  assert.equal(response.closeCalls, 1);
  assert.equal(response.closed, true);
});

test("P5.7 an exception thrown in the loop body closes the connection too", async () => {
  const response = new MemoryResponse(body);
  const stream = new StreamingChatCompletions(new MemorySource({ responses: [response] }));
  await assert.rejects(async () => {
    for await (const _ of stream) throw new Error("boom");
  }, /boom/);
  assert.equal(response.closeCalls, 1);
});

test("P5.7 close() is idempotent and ends a pending iteration cleanly", async () => {
  const response = new MemoryResponse([content("a"), { stall: true }]);
  const stream = new StreamingChatCompletions(new MemorySource({ responses: [response] }));
  const iterator = stream[Symbol.asyncIterator]();
  assert.equal((await iterator.next()).done, false);
  const pending = iterator.next();
  stream.close();
  stream.close();
  assert.deepEqual(await pending, { done: true, value: undefined });
  assert.equal(response.closeCalls, 1);
});

test("P5.7 await using closes the connection at the end of the block", async () => {
  const response = new MemoryResponse(body);
  {
    await using stream = new StreamingChatCompletions(new MemorySource({ responses: [response] }));
    const first = await stream[Symbol.asyncIterator]().next();
    assert.equal(first.done, false);
  }
  assert.equal(response.closeCalls, 1);
});

test("P5.7 headers and requestId are those of the response", () => {
  const stream = new StreamingChatCompletions(
    sourceOf(body, { requestId: "req-1", headers: { "x-request-id": "svc" } }),
  );
  assert.equal(stream.requestId, "req-1");
  assert.equal(stream.headers.get("x-request-id"), "svc");
  stream.close();
});

test("P5.7 toReadableStream gives newline-delimited JSON of every update", async () => {
  const stream = new StreamingChatCompletions(sourceOf(body));
  const text = await new Response(stream.toReadableStream()).text();
  const lines = text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));
  assert.equal(lines.length, 4);
  assert.deepEqual(lines[0].choices[0].delta, { content: "Hel" });
  assert.equal(lines[3].choices[0].finish_reason, "stop");
});

test("P5.7 cancelling the readable stream closes the connection", async () => {
  const response = new MemoryResponse([content("a"), { stall: true }]);
  const stream = new StreamingChatCompletions(new MemorySource({ responses: [response] }));
  const reader = stream.toReadableStream().getReader();
  await reader.read();
  await reader.cancel();
  assert.equal(response.closeCalls, 1);
});

test("P5.9 textStream yields only the content of choice 0", async () => {
  const two = event({
    choices: [
      { index: 1, delta: { content: "other" } },
      { index: 0, delta: { content: "B" } },
    ],
  });
  const stream = new StreamingChatCompletions(
    sourceOf([event({ choices: [] }), content("A"), two, content(""), stop, DONE]),
  );
  const pieces: string[] = [];
  for await (const piece of stream.textStream()) pieces.push(piece);
  assert.deepEqual(pieces, ["A", "B"]);
});

test("P5.9 leaving textStream early closes the connection", async () => {
  const response = new MemoryResponse(body);
  const stream = new StreamingChatCompletions(new MemorySource({ responses: [response] }));
  for await (const piece of stream.textStream()) {
    assert.equal(piece, "Hel");
    break;
  }
  assert.equal(response.closeCalls, 1);
});

test("P5.8 finalChatCompletions without iterating reads everything", async () => {
  const stream = new StreamingChatCompletions(sourceOf(body));
  const final = await stream.finalChatCompletions();
  assert.ok(final instanceof ChatCompletions);
  assert.equal(final.choices[0].message.content, "Hello world");
  assert.equal(final.choices[0].finishReason, "stop");
  assert.equal(final.get("object"), "chat.completion");
  assert.equal(await stream.finalChatCompletions(), final, "the same answer on a second call");
});

test("P5.8 finalChatCompletions after part of the loop covers the iterated updates too", async () => {
  const stream = new StreamingChatCompletions(sourceOf(body.map((e) => e)));
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  const final = await stream.finalChatCompletions();
  assert.equal(final.choices[0].message.content, "Hello world");
  assert.deepEqual(await iterator.next(), { done: true, value: undefined });
});

test("P5.12 after break, finalChatCompletions returns what arrived and reads no further", async () => {
  const response = new MemoryResponse([content("one"), content(" two"), { stall: true }, content(" never")]);
  const stream = new StreamingChatCompletions(new MemorySource({ responses: [response] }));
  for await (const _ of stream) break;
  const reads = response.reads;
  const final = await stream.finalChatCompletions();
  assert.equal(final.choices[0].message.content, "one");
  assert.equal(response.reads, reads);
});

test("P5.12 updates decoded in the same read as the break have arrived, and count", async () => {
  const stream = new StreamingChatCompletions(sourceOf([content("one") + content(" two"), { stall: true }]));
  for await (const _ of stream) break;
  assert.equal((await stream.finalChatCompletions()).choices[0].message.content, "one two");
});

test("P5.12 after close(), finalChatCompletions returns what arrived until then", async () => {
  const stream = new StreamingChatCompletions(sourceOf([content("a"), content("b"), { stall: true }]));
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next();
  await iterator.next();
  stream.close();
  assert.equal((await stream.finalChatCompletions()).choices[0].message.content, "ab");
});

test("P5.12 close() before any read gives an empty answer", async () => {
  const response = new MemoryResponse(body);
  const stream = new StreamingChatCompletions(new MemorySource({ responses: [response] }));
  stream.close();
  const final = await stream.finalChatCompletions();
  assert.deepEqual(final.asDict().choices, []);
  assert.equal(response.reads, 0);
});

test("P5.3 a stream without [DONE] ends normally; bytes after [DONE] are ignored", async () => {
  const noDone = new StreamingChatCompletions(sourceOf([content("a"), stop]));
  assert.equal((await noDone.finalChatCompletions()).choices[0].message.content, "a");
  const after = new MemoryResponse([content("a") + DONE + content("b"), content("c"), "garbage{{{"]);
  const stream = new StreamingChatCompletions(new MemorySource({ responses: [after] }));
  const updates: StreamingChatCompletionsUpdate[] = [];
  for await (const update of stream) updates.push(update);
  assert.deepEqual(texts(updates), ["a"]);
  assert.equal(after.reads, 1, "nothing is read after [DONE]");
  assert.equal(after.closeCalls, 1);
});

test("P5.5 chunks with empty choices are delivered", async () => {
  const stream = new StreamingChatCompletions(
    sourceOf([
      event({ id: "", choices: [], prompt_filter_results: [] }),
      content("a"),
      event({ choices: [], usage: { total_tokens: 3 } }),
    ]),
  );
  const updates: StreamingChatCompletionsUpdate[] = [];
  for await (const update of stream) updates.push(update);
  assert.equal(updates.length, 3);
  assert.deepEqual(updates[0].choices, []);
  assert.equal(updates[2].usage?.totalTokens, 3);
});

test("P5.3 an event with a name other than error is handled by its data; an empty data event is a keep-alive", async () => {
  const stream = new StreamingChatCompletions(
    sourceOf([
      "event: ping\n\n",
      "data:\n\n",
      "data:  \n\n",
      "event: chunk\n" + content("a"),
      "event: message\n" + content("b"),
      "event: done\ndata: [DONE]\n\n",
      content("after done"),
    ]),
  );
  const updates: StreamingChatCompletionsUpdate[] = [];
  for await (const update of stream) updates.push(update);
  assert.deepEqual(texts(updates), ["a", "b"]);
});

test("P5.8 finalChatCompletions consumes updates already decoded but not yet iterated", async () => {
  const stream = new StreamingChatCompletions(sourceOf([content("a") + content("b") + content("c"), DONE]));
  const iterator = stream[Symbol.asyncIterator]();
  assert.equal((await iterator.next()).value?.choices[0].delta.content, "a");
  assert.equal((await stream.finalChatCompletions()).choices[0].message.content, "abc");
  assert.deepEqual(await iterator.next(), { done: true, value: undefined });
});
