// Issue 9, property tests (fast-check): random bytes cut at random places into the SSE reader, and
// random bodies into the error-message extractor. Whatever comes in, only the SDK's own errors come
// out, and in bounded time and memory: an event never grows past `maxEventBytes`, and no body takes
// more than a moment. The time bound is a hang guard, generous by three orders of magnitude (a
// linear pass over these inputs takes about a millisecond; the backtracking extractor took seconds).
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { performance } from "node:perf_hooks";
import fc from "fast-check";
import { AiInferenceError, HttpResponseError, StreamingChatCompletions } from "../../../src/index.js";
import { type SseEvent, type SseProblem, SseDecoder } from "../../../src/streaming/decode.js";
import { statusError } from "../../../src/client/response-errors.js";
import { decodeEntities } from "../../../src/internal/html-text.js";
import { MemoryResponse, MemorySource } from "../../support/memory-source.js";

/** A generous ceiling for one run: a hang guard, not a speed target. */
const HANG_MS = 2000;

/** Pieces that make SSE interesting: field names, line endings, JSON openers, markers, multi-byte text. */
const SSE_TOKENS = [
  "data:",
  "data: ",
  "event: error\n",
  "event: chunk\n",
  "event:",
  "id: 1\n",
  "retry: x\n",
  ": ping\n",
  "\n",
  "\n\n",
  "\r",
  "\r\n",
  "[DONE]",
  "{",
  "}",
  "[",
  "]",
  '"',
  "\\",
  '{"choices":[{"index":0,"delta":{"content":"é🚀"}}]}',
  '{"error":{"message":"bad"}}',
  '{"choices":null}',
  "\uFEFF",
  "日本",
];

const sseText = fc
  .array(fc.oneof(fc.constantFrom(...SSE_TOKENS), fc.string({ maxLength: 12 })), { maxLength: 120 })
  .map((parts) => parts.join(""));
const sseBytes = fc.oneof(
  sseText.map((text) => new TextEncoder().encode(text)),
  fc.uint8Array({ maxLength: 3000 }),
);

/** `bytes` cut at random points (inside multi-byte characters too). */
function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) pieces.push(bytes.slice(from, point));
    from = Math.max(from, point);
  }
  return pieces;
}

const cuts = fc.array(fc.nat(), { maxLength: 40 });

test("issue 9 random bytes cut anywhere into the stream: only the SDK's errors come out, events within maxEventBytes", async () => {
  await fc.assert(
    fc.asyncProperty(sseBytes, cuts, fc.integer({ min: 16, max: 512 }), async (bytes, at, maxEventBytes) => {
      const started = performance.now();
      const response = new MemoryResponse(split(bytes, at));
      const stream = new StreamingChatCompletions(
        new MemorySource({ responses: [response], idleTimeoutMs: 0, maxEventBytes }),
      );
      let updates = 0;
      try {
        for await (const update of stream) {
          updates++;
          assert.ok(update.asDict() !== undefined);
        }
        const final = await stream.finalChatCompletions();
        assert.equal(typeof JSON.stringify(final), "string");
      } catch (error) {
        assert.ok(error instanceof AiInferenceError, `not an SDK error: ${inspect(error)}`);
        assert.equal(typeof JSON.stringify(error), "string");
      }
      assert.ok(response.closed, `the connection is released whatever happened (${updates} updates)`);
      assert.ok(performance.now() - started < HANG_MS);
    }),
    { numRuns: 300 },
  );
});

/** A key that random text never spells: the generators below have no "k" outside it. */
const SECRET = "sk-prop-secret-0123456789";
/** Its beginning: showing 4 characters or more of the key shows this. */
const SECRET_START = SECRET.slice(0, 4);
const references = (text: string, hex: boolean) =>
  [...text].map((c) => (hex ? `&#x${c.charCodeAt(0).toString(16)};` : `&#${c.charCodeAt(0)};`)).join("");
/** The key as a service could echo it: as is, inside JSON, or as HTML character references. */
const echoedSecret = fc.constantFrom(
  SECRET,
  `"${SECRET}"`,
  `{"error":{"message":"bad ${SECRET}"}}`,
  references(SECRET, false),
  references(SECRET, true),
);

/**
 * Every text an error shows (its `partial`, the service's data, left out); with `decoded`, also as
 * HTML text, which the message extractor makes of an error page.
 */
function errorTexts(error: unknown, decoded = false): string[] {
  const shown = error instanceof AiInferenceError ? Object.assign(error, { partial: undefined }) : error;
  const texts = [String(shown), JSON.stringify(shown) ?? "", inspect(shown, { depth: 20 })];
  return decoded ? [...texts, ...texts.map(decodeEntities)] : texts;
}

test("issue 9 random streams echoing a secret, cut anywhere: no error shows 4 of its characters", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.oneof(fc.constantFrom(...SSE_TOKENS), echoedSecret), { maxLength: 60 }),
      cuts,
      fc.integer({ min: 16, max: 4096 }),
      async (parts, at, maxEventBytes) => {
        const bytes = new TextEncoder().encode(parts.join(""));
        const stream = new StreamingChatCompletions(
          new MemorySource({
            responses: [new MemoryResponse(split(bytes, at))],
            idleTimeoutMs: 0,
            maxEventBytes,
            secrets: [SECRET],
          }),
        );
        let error: unknown;
        try {
          for await (const _ of stream) continue;
        } catch (e) {
          error = e;
        }
        for (const text of errorTexts(error))
          assert.ok(!text.includes(SECRET_START), `shows the key: ${text.slice(0, 400)}`);
      },
    ),
    { numRuns: 300 },
  );
});

test("issue 9 random bytes cut anywhere into the decoder: no throw, no event or buffer past the limit", () => {
  fc.assert(
    fc.property(sseBytes, cuts, fc.integer({ min: 8, max: 256 }), (bytes, at, maxEventBytes) => {
      const events: SseEvent[] = [];
      const problems: SseProblem[] = [];
      const decoder = new SseDecoder({
        onEvent: (event) => void events.push(event),
        onProblem: (problem) => void problems.push(problem),
        maxEventBytes,
      });
      for (const piece of split(bytes, at)) decoder.feed(piece);
      decoder.end();
      for (const event of events) assert.ok(event.data.length <= maxEventBytes, "an event within the limit");
      const overflow = problems.findIndex((p) => p.type === "max-buffer-size-exceeded");
      if (overflow !== -1) assert.equal(overflow, problems.length - 1, "nothing is read after an overflow");
    }),
    { numRuns: 500 },
  );
});

test("issue 9 an event that begins and ends within one read is held to maxEventBytes too", () => {
  // The parser measures what it buffers between reads; an event whole in one read never waits there.
  for (const [text, delivered] of [
    ["data: 12345678\n\n", ["12345678"]],
    ["data: 123456789\n\ndata: after\n\n", []],
    ["data: 1234\ndata: 5678\n\n", []],
    ["data:data:id: 1\n\r\n", []],
  ] as const) {
    const events: string[] = [];
    const problems: SseProblem[] = [];
    const decoder = new SseDecoder({
      onEvent: (event) => void events.push(event.data),
      onProblem: (problem) => void problems.push(problem),
      maxEventBytes: 8,
    });
    decoder.feed(new TextEncoder().encode(text));
    decoder.end();
    assert.deepEqual(events, delivered, text);
    assert.deepEqual(
      problems.map((p) => p.type),
      delivered.length === 0 ? ["max-buffer-size-exceeded"] : [],
    );
  }
});

test("issue 9 a line that never ends stops the decoder within the limit plus one read, however it is cut", () => {
  fc.assert(
    fc.property(
      fc.constantFrom("data: ", "event: ", "id: ", ": ", "data:"),
      fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/[\r\n]/.test(s)),
      fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 20 }),
      fc.integer({ min: 64, max: 2048 }),
      (field, unit, pieceSizes, maxEventBytes) => {
        let stoppedAfter = -1;
        let fed = 0;
        const decoder = new SseDecoder({
          onEvent: () => assert.fail("no event ends"),
          onProblem: (problem) => {
            if (problem.type === "max-buffer-size-exceeded") stoppedAfter = fed;
          },
          maxEventBytes,
        });
        const encoder = new TextEncoder();
        decoder.feed(encoder.encode(field));
        const largest = Math.max(...pieceSizes);
        for (let i = 0; stoppedAfter === -1 && fed < 4 * maxEventBytes + 10 * largest; i++) {
          const piece = unit.repeat(Math.ceil(pieceSizes[i % pieceSizes.length] / unit.length));
          fed += piece.length;
          decoder.feed(encoder.encode(piece));
        }
        // What it holds is the unfinished line: the field's name and what was fed since.
        assert.notEqual(stoppedAfter, -1, "the decoder stopped");
        const bound = maxEventBytes + largest + unit.length;
        assert.ok(stoppedAfter <= bound, `stopped after ${stoppedAfter} characters, bound ${bound}`);
      },
    ),
    { numRuns: 300 },
  );
});

/** Bodies a hostile server could send: markup built to backtrack, deep JSON, random JSON and text. */
const HTML_TOKENS = [
  "<",
  ">",
  "</",
  "<script>",
  "</script",
  "<title>",
  "</title>",
  "<head>",
  "&",
  "&#",
  "&#x",
  ";",
  " ",
  "\n",
  "a",
  "1",
];
const hostileBody = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("<html>", "<!DOCTYPE html>", " <body>", ""),
      fc.array(fc.constantFrom(...HTML_TOKENS), { minLength: 1, maxLength: 12 }),
      fc.integer({ min: 1, max: 8000 }),
    )
    .map(([head, unit, times]) => head + unit.join("").repeat(times)),
  fc
    .integer({ min: 1, max: 120_000 })
    .map((depth) => "[".repeat(depth) + "]".repeat(depth % 3 === 0 ? depth : 0)),
  fc.integer({ min: 1, max: 60_000 }).map((depth) => '{"error":'.repeat(depth) + "1" + "}".repeat(depth)),
  fc.json({ maxDepth: 6 }),
  fc.string({ maxLength: 2000 }),
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.integer({ min: 1, max: 20_000 }))
    .map(([unit, times]) => unit.repeat(times)),
);

test("issue 9 random bodies into the error-message extractor: an HttpResponseError, in bounded time and size", () => {
  fc.assert(
    fc.property(hostileBody, fc.boolean(), fc.constantFrom(400, 429, 500, 502), (body, truncated, status) => {
      const started = performance.now();
      const error = statusError(
        status,
        new Headers({ "content-type": "text/html" }),
        body,
        { requestId: "r-1", retries: [] },
        ["secret-value-1234"],
        { truncated },
      );
      assert.ok(error instanceof HttpResponseError);
      assert.ok(error.message.startsWith(`${status} `), error.message.slice(0, 80));
      assert.ok(error.message.length <= 4 + 501, `message of ${error.message.length} characters`);
      assert.ok(
        error.bodyTruncated || typeof error.body !== "string" || (error.body as string).length <= 65_536,
      );
      assert.equal(typeof JSON.stringify(error), "string");
      assert.equal(typeof inspect(error, { depth: 3 }), "string");
      assert.equal(error.requestId, "r-1");
      assert.ok(performance.now() - started < HANG_MS, "a body is handled in bounded time");
    }),
    { numRuns: 400 },
  );
});

test("issue 9 a secret anywhere in a random error body, cut anywhere: the error never shows 4 of its characters", () => {
  const filler = fc
    .tuple(
      fc.array(fc.constantFrom(...HTML_TOKENS, '"', "{", "[", "é"), { minLength: 1, maxLength: 8 }),
      fc.nat(),
    )
    .map(([unit, times]) => unit.join("").repeat(1 + (times % 9000)));
  fc.assert(
    fc.property(
      filler,
      echoedSecret,
      filler,
      fc.constantFrom("", "<html><body>", '{"error":"'),
      fc.oneof(fc.constant(undefined), fc.integer({ min: 65_536 - 80, max: 65_536 })),
      fc.boolean(),
      (before, secret, after, head, cutAt, truncated) => {
        // Where the cut falls: at random, or through the key at the 64 KiB limit.
        const lead = cutAt === undefined ? before : before.padEnd(Math.max(0, cutAt - head.length), ".");
        const body = head + lead + secret + after;
        const error = statusError(
          500,
          new Headers(),
          truncated ? body.slice(0, 65_536) : body,
          {
            requestId: "r-1",
            retries: [],
          },
          [SECRET],
          { truncated },
        );
        assert.ok(error instanceof HttpResponseError);
        for (const text of errorTexts(error, true))
          assert.ok(!text.includes(SECRET_START), `shows the key: ${text.slice(-400)}`);
      },
    ),
    { numRuns: 300 },
  );
});
