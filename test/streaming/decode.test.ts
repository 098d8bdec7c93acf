import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { type SseEvent, type SseProblem, SseDecoder } from "../../src/streaming/decode.js";
import { arbitraryCuts, everySingleCut, oneByteReads, splitAt } from "../support/chunkings.js";
import { sseCaptures } from "../support/recordings.js";

const data = (...values: string[]): SseEvent[] => values.map((value) => ({ event: undefined, data: value }));
const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Decodes `pieces` (strings are UTF-8 encoded) and returns the events and problems reported. */
function decode(pieces: (string | Uint8Array)[], options: { end?: boolean } = {}) {
  const events: SseEvent[] = [];
  const problems: SseProblem[] = [];
  const decoder = new SseDecoder({
    onEvent: (event) => void events.push({ event: event.event, data: event.data }),
    onProblem: (problem) => void problems.push(problem),
  });
  for (const piece of pieces) decoder.feed(typeof piece === "string" ? encode(piece) : piece);
  if (options.end !== false) decoder.end();
  return { events, problems };
}

test("P5.2 LF, CRLF and lone CR line endings give the same events", () => {
  for (const eol of ["\n", "\r\n", "\r"]) {
    const text = `data: a${eol}${eol}data: b${eol}data: c${eol}${eol}`;
    assert.deepEqual(decode([text]).events, data("a", "b\nc"), JSON.stringify(eol));
  }
});

test("P5.2 a CRLF split across reads is one line ending, not an empty line", () => {
  assert.deepEqual(decode(["data: a\r", "\ndata: b\r\n\r\n"]).events, data("a\nb"));
  assert.deepEqual(decode(["data: a\r", "\n", "\r", "\n"]).events, data("a"));
});

test("P5.2 mixed line endings in one stream", () => {
  assert.deepEqual(decode(["data: a\r\n\ndata: b\r\rdata: c\n\r\n"]).events, data("a", "b", "c"));
});

test("P5.2 comment lines are skipped, keep-alive pings included", () => {
  assert.deepEqual(decode([": ping\n\n:\ndata: x\n: between\n\n"]).events, data("x"));
});

test("P5.2 event, id and retry fields; the event name is kept", () => {
  const { events, problems } = decode(["id: 7\nretry: 1000\nevent: error\ndata: {}\n\nid: 8\ndata: y\n\n"]);
  assert.deepEqual(events, [
    { event: "error", data: "{}" },
    { event: undefined, data: "y" },
  ]);
  assert.deepEqual(problems, []);
});

test("P5.2 several data lines are joined with a line feed", () => {
  assert.deepEqual(decode(['data: {"a":\ndata: 1}\n\n']).events, data('{"a":\n1}'));
});

test("P5.2 data with or without the space; only one space is removed", () => {
  assert.deepEqual(decode(["data:x\n\ndata: y\n\ndata:  z\n\n"]).events, data("x", "y", " z"));
});

test("P5.2 a UTF-8 byte order mark at the start is ignored, even split across reads", () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
  const body = encode("data: x\n\n");
  assert.deepEqual(decode([new Uint8Array([...bom, ...body])]).events, data("x"));
  assert.deepEqual(decode([bom.slice(0, 1), bom.slice(1), body]).events, data("x"));
});

test("P5.2 a multi-byte character split at every byte is decoded intact", () => {
  const bytes = encode("data: 日本語 🙂 é\n\n");
  for (const { cut, pieces } of everySingleCut(bytes)) {
    assert.deepEqual(decode(pieces).events, data("日本語 🙂 é"), `cut at ${cut}`);
  }
  assert.deepEqual(decode(oneByteReads(bytes)).events, data("日本語 🙂 é"));
});

test("P5.2 a final event without its blank line is delivered at the end of the body", () => {
  assert.deepEqual(decode(["data: a\n\ndata: b"]).events, data("a", "b"));
  assert.deepEqual(decode(["data: a\n\ndata: b\n"]).events, data("a", "b"));
  assert.deepEqual(decode(["data: a\n\ndata: b\r"]).events, data("a", "b"));
  assert.deepEqual(decode(["data: a\n\ndata: b\r\n"]).events, data("a", "b"));
});

test("P5.2 without end() an unfinished event is never delivered (a broken connection)", () => {
  assert.deepEqual(decode(['data: a\n\ndata: {"trunc'], { end: false }).events, data("a"));
});

test("P5.2 an event with no data is not dispatched, and its name does not leak into the next", () => {
  assert.deepEqual(decode(["event: ping\n\ndata: x\n\n"]).events, data("x"));
});

test("P5.2 bad bytes never throw: invalid UTF-8 becomes U+FFFD", () => {
  assert.deepEqual(decode([new Uint8Array([0x64, 0x61, 0x74, 0x61, 0x3a, 0xff, 0xc3, 0x0a, 0x0a])]).events, [
    { event: undefined, data: "\ufffd\ufffd" },
  ]);
});

test("P5.2 unknown fields and a bad retry are reported with a typed reason, not thrown", () => {
  const { events, problems } = decode(["foo: bar\nretry: soon\ndata: x\n\n"]);
  assert.deepEqual(events, data("x"));
  assert.deepEqual(
    problems.map((p) => [p.type, p.line]),
    [
      ["unknown-field", "foo: bar"],
      ["invalid-retry", "retry: soon"],
    ],
  );
});

test("P5.3 an event handler returning false stops the decoder: the rest is ignored", () => {
  const seen: string[] = [];
  const decoder = new SseDecoder({
    onEvent: (event) => {
      seen.push(event.data);
      return event.data !== "[DONE]";
    },
  });
  decoder.feed(encode("data: a\n\ndata: [DONE]\n\ndata: b\n\n"));
  decoder.feed(encode("data: c\n\n"));
  decoder.end();
  assert.deepEqual(seen, ["a", "[DONE]"]);
  assert.equal(decoder.stopped, true);
});

test("P5.2 many events in one read and one event over many reads", () => {
  const many = Array.from({ length: 50 }, (_, i) => `data: ${i}\n\n`).join("");
  assert.deepEqual(decode([many]).events, data(...Array.from({ length: 50 }, (_, i) => String(i))));
  const long = `data: ${"x".repeat(10_000)}\n\n`;
  assert.deepEqual(decode(oneByteReads(encode(long))).events, data("x".repeat(10_000)));
});

test("P5.2 every capture gives the same events whole, one byte per read and cut at random", () => {
  const run = (pieces: Uint8Array[]) => {
    const events: SseEvent[] = [];
    const decoder = new SseDecoder({
      onEvent: (event) => void events.push({ event: event.event, data: event.data }),
    });
    for (const piece of pieces) decoder.feed(piece);
    decoder.end();
    return events;
  };
  const mixed = encode(
    ': x\r\ndata: é\r\rdata:日本\ndata: 🙂\r\n\r\nevent: error\nid: 3\ndata: {"a":1}\n\nretry: 5\ndata: tail',
  );
  for (const bytes of [...sseCaptures().map((c) => c.bytes), mixed]) {
    const expected = run([bytes]);
    assert.ok(expected.length > 0);
    assert.deepEqual(run(oneByteReads(bytes)), expected);
    fc.assert(
      fc.property(arbitraryCuts(bytes), (cuts) => {
        const pieces = splitAt(bytes, cuts);
        assert.deepEqual(run(pieces), expected);
      }),
      { numRuns: 30 },
    );
  }
});
