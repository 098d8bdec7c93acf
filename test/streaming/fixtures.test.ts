// Every recorded text/event-stream response replayed through the stream (P5.1, P5.5, P5.8): the
// updates are the recorded chunks, key for key, and the accumulated answer is what the capture says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { StreamingChatCompletions } from "../../src/streaming/stream.js";
import { captureChunks, sseCaptures, type SseCapture } from "../support/recordings.js";
import { sourceOf } from "../support/memory-source.js";
import { fixedSize } from "../support/chunkings.js";
import { captureExpectations, expectationOf, joinedContent } from "../support/capture-expectations.js";

type Json = Record<string, unknown>;
const captures = sseCaptures();

async function replay(capture: SseCapture, pieceSize = 1024) {
  const stream = new StreamingChatCompletions(
    sourceOf(fixedSize(capture.bytes, pieceSize), { headers: capture.headers, requestId: "req" }),
  );
  const updates: Json[] = [];
  for await (const update of stream) updates.push(update.asDict());
  const final = (await stream.finalChatCompletions()).asDict();
  return { updates, final, stream };
}

test("P5.1 the recordings hold four event streams, all of them replayed here", () => {
  assert.equal(captures.length, 4);
  for (const capture of captures) assert.equal(capture.events.at(-1), "data: [DONE]\n\n");
});

for (const capture of captures) {
  test(`P5.5 ${capture.name}: every recorded chunk becomes one update, key for key`, async () => {
    const { updates, stream } = await replay(capture);
    assert.deepEqual(updates, captureChunks(capture));
    assert.equal(stream.headers.get("content-type"), capture.headers["Content-Type"]);
  });
}

for (const expectation of captureExpectations) {
  test(expectation.title, async () => {
    const found = captures.filter((c) => c.name.includes(expectation.part));
    assert.equal(found.length, 1, expectation.part);
    const { updates, final } = await replay(found[0]);
    expectation.check(final, updates, found[0]);
  });
}

test("P5.8 every capture has its expectation", () => {
  for (const capture of captures) assert.ok(expectationOf(capture));
});

test("P5.8 textStream of every capture is the accumulated content", async () => {
  for (const capture of captures) {
    const stream = new StreamingChatCompletions(sourceOf(fixedSize(capture.bytes, 512)));
    const pieces: string[] = [];
    for await (const piece of stream.textStream()) pieces.push(piece);
    assert.equal(pieces.join(""), joinedContent(captureChunks(capture)), capture.name);
  }
});
