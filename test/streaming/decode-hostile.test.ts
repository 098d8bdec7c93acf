// The SSE reader against hostile shapes of input (P5.2, P5.3; issue 12 replaced eventsource-parser
// with src/streaming/decode.ts): the event size limit however the bytes are cut, and big pieces of
// the line shapes that make a naive reader quadratic (each would run for minutes if it were).
import { test } from "node:test";
import assert from "node:assert/strict";
import { type SseEvent, type SseProblem, SseDecoder } from "../../src/streaming/decode.js";

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

function reader(maxEventBytes?: number) {
  const events: SseEvent[] = [];
  const problems: SseProblem[] = [];
  const decoder = new SseDecoder({
    onEvent: (event) => void events.push({ event: event.event, data: event.data }),
    onProblem: (problem) => void problems.push(problem),
    maxEventBytes,
  });
  return { decoder, events, problems };
}

test("P5.3 issue 12 a line that never ends, one byte per read, stops at maxEventBytes and reads nothing more", () => {
  const { decoder, events, problems } = reader(1000);
  decoder.feed(encode("data: "));
  for (let i = 0; i < 2000; i++) decoder.feed(encode("z"));
  decoder.feed(encode("\n\ndata: after\n\n"));
  decoder.end();
  assert.deepEqual(events, []);
  assert.deepEqual(
    problems.map((p) => p.type),
    ["max-buffer-size-exceeded"],
  );
  assert.equal(decoder.stopped, true);
});

test("P5.3 issue 12 an event of many data lines counts as a whole, within one read and across reads", () => {
  const lines = "data: 0123456789\n".repeat(200); // 200 lines of 10 characters, about 2,200 joined
  for (const pieces of [[lines], [lines.slice(0, 1000), lines.slice(1000)]]) {
    const { decoder, events, problems } = reader(1500);
    for (const piece of pieces) decoder.feed(encode(piece));
    decoder.feed(encode("\n"));
    decoder.end();
    assert.deepEqual(events, []);
    assert.deepEqual(
      problems.map((p) => p.type),
      ["max-buffer-size-exceeded"],
    );
  }
  // The same event under the limit is delivered whole, its lines joined with LF.
  const { decoder, events } = reader(4000);
  decoder.feed(encode(`${lines}\n`));
  decoder.end();
  assert.equal(events.length, 1);
  assert.equal(events[0].data, Array(200).fill("0123456789").join("\n"));
});

test("P5.2 issue 12 one piece of 200,000 lines without a colon: each is an unknown field, and the event after it arrives", () => {
  const { decoder, events, problems } = reader();
  decoder.feed(encode(`${"x\n".repeat(200_000)}data: ok\n\n`));
  decoder.end();
  assert.equal(problems.length, 200_000);
  assert.deepEqual([problems[0].type, problems[0].field, problems[0].line], ["unknown-field", "x", "x"]);
  assert.deepEqual(events, [{ event: undefined, data: "ok" }]);
});

test("P5.2 issue 12 one piece of 200,000 events ended by lone CRs gives every event", () => {
  const { decoder, events, problems } = reader();
  decoder.feed(encode("event: e\rdata: a\r\r".repeat(200_000)));
  decoder.end();
  assert.equal(events.length, 200_000);
  assert.ok(events.every((event) => event.event === "e" && event.data === "a"));
  assert.deepEqual(problems, []);
});
