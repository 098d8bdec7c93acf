// quality.md Q2: re-chunking a stream never changes what comes out. Every capture (and two
// synthetic streams full of multi-byte text, since the recordings hold none) is read whole, one
// byte per read, at every single cut point when under 4 KB, and at random sets of cut points
// that always include a cut inside a multi-byte character.
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { StreamingChatCompletions } from "../../src/streaming/stream.js";
import { sseCaptures } from "../support/recordings.js";
import { sourceOf } from "../support/memory-source.js";
import { arbitraryCuts, everySingleCut, multiByteCuts, oneByteReads, splitAt } from "../support/chunkings.js";
import { syntheticChatStream } from "../support/synthetic-stream.js";

interface Subject {
  name: string;
  bytes: Uint8Array;
}

const mixed = new TextEncoder().encode(
  ': hi\r\n\r\ndata: {"id":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Grüße, 世界 "}}]}\r\n\r\n' +
    'data: {"choices":[{"index":0,"delta":{"content":"🙂—€","tool_calls":[{"index":0,"id":"t","type":"function","function":{"name":"ö","arguments":"{\\"q\\":\\"日"}}]}}]}\r\r' +
    'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"本\\"}"}}]},"finish_reason":"tool_calls"}]}\n' +
    "data\n\n" +
    'data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}',
);

const subjects: Subject[] = [
  ...sseCaptures().map(({ name, bytes }) => ({ name, bytes })),
  { name: "synthetic 14 chunks", bytes: syntheticChatStream(14, 3).bytes },
  { name: "mixed endings and multi-byte", bytes: mixed },
];

async function read(pieces: Uint8Array[]): Promise<string> {
  const stream = new StreamingChatCompletions(sourceOf(pieces));
  const updates: unknown[] = [];
  try {
    for await (const update of stream) updates.push(update.asDict());
  } catch (error) {
    return `error: ${String(error)}`;
  }
  return JSON.stringify({ updates, final: (await stream.finalChatCompletions()).asDict() });
}

for (const subject of subjects) {
  const small = subject.bytes.length < 4096;
  test(`Q2 ${subject.name}: one byte per read${small ? " and every single cut" : ""} give the same updates and answer`, async () => {
    const whole = await read([subject.bytes]);
    assert.doesNotMatch(whole, /^error/);
    assert.equal(await read(oneByteReads(subject.bytes)), whole, "one byte per read");
    if (!small) return;
    for (const { cut, pieces } of everySingleCut(subject.bytes)) {
      assert.equal(await read(pieces), whole, `cut at ${cut}`);
    }
  });

  test(`Q2 ${subject.name}: random cut points (with cuts inside multi-byte characters) change nothing`, async () => {
    const whole = await read([subject.bytes]);
    await fc.assert(
      fc.asyncProperty(arbitraryCuts(subject.bytes), async (cuts) => {
        assert.equal(await read(splitAt(subject.bytes, cuts)), whole);
      }),
      { numRuns: subject.bytes.length > 20_000 ? 25 : 100 },
    );
  });
}

test("Q2 the synthetic subjects do hold multi-byte characters to cut inside", () => {
  for (const subject of subjects.slice(-2)) assert.ok(multiByteCuts(subject.bytes).length > 10, subject.name);
});
