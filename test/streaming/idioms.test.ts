// Issue 11: the documented ways of reading updates (docs/streaming.md, the JSDoc) never throw on any
// recorded stream, nor on the real chunk shapes of quality.md Q1 item 5; and the updates and the
// accumulated answer share nothing (Q2).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { StreamingChatCompletions } from "../../src/streaming/stream.js";
import type { StreamingChatCompletionsUpdate } from "../../src/models/index.js";
import { captureChunks, sseCaptures } from "../support/recordings.js";
import { sourceOf } from "../support/memory-source.js";
import { fixedSize } from "../support/chunkings.js";

type Json = Record<string, unknown>;
const sse = (chunks: readonly unknown[]): Uint8Array =>
  new TextEncoder().encode(chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n");

/** Q1 item 5 and its neighbours: chunks real services send that lack choices, a delta or content. */
const q1Shapes: readonly Json[] = [
  { id: "", choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] },
  { id: "a", choices: [{ index: 0, delta: { role: "assistant", content: null } }], usage: null },
  { id: "a", choices: [{ index: 0, delta: { content: "Hel" } }], usage: null },
  { id: "a", choices: [{ index: 0, delta: null }], usage: null },
  { id: "a", choices: [{ index: 0, finish_reason: null }] },
  { id: "a", choices: [{ index: 1, delta: { content: "other choice" } }] },
  { id: "a", choices: [{ delta: { content: "lo" } }] },
  {
    id: "a",
    choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: "t", function: { name: "f" } }] } }],
  },
  { id: "a", choices: [{ index: 0, finish_reason: "stop" }] },
  { id: "a", choices: null },
  { id: "a", usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } },
];

const subjects = [
  ...sseCaptures().map((capture) => ({ name: capture.name, bytes: capture.bytes })),
  { name: "quality.md Q1.5 shapes", bytes: sse(q1Shapes) },
];

function streamOf(bytes: Uint8Array): StreamingChatCompletions {
  return new StreamingChatCompletions(sourceOf(fixedSize(bytes, 700)));
}

/** docs/streaming.md, "Reading an update": the loop over choices, as written there. */
function readAsDocumented(update: StreamingChatCompletionsUpdate, log: string[]): void {
  for (const choice of update.choices ?? []) {
    const delta = choice.delta;
    if (delta?.toolCalls) log.push(`calls ${choice.index} ${delta.toolCalls.length}`);
    if (choice.finishReason) log.push(`choice ${choice.index} finished: ${choice.finishReason}`);
  }
  if (update.usage) log.push(String(update.usage.totalTokens));
}

for (const subject of subjects) {
  test(`P5.9 (issue 11) ${subject.name}: update.text and the documented loop never throw, and the text is choice 0's`, async () => {
    const stream = streamOf(subject.bytes);
    let text = "";
    const log: string[] = [];
    for await (const update of stream) {
      assert.equal(typeof update.text, "string");
      text += update.text;
      readAsDocumented(update, log);
    }
    const final = await stream.finalChatCompletions();
    const first = final.choices.find((choice) => choice.index === 0);
    assert.equal(text, first?.message.content ?? "");
    const pieces: string[] = [];
    for await (const piece of streamOf(subject.bytes).textStream()) pieces.push(piece);
    assert.equal(pieces.join(""), text, "textStream() agrees");
  });
}

test("P5.9 (issue 11) the idiom of earlier releases threw on real chunk shapes (why the types changed)", async () => {
  const old = (update: StreamingChatCompletionsUpdate): unknown =>
    (update as unknown as { choices: { delta: { content: unknown } }[] }).choices[0]?.delta.content;
  const thrown: unknown[] = [];
  for await (const update of streamOf(sse(q1Shapes))) {
    try {
      old(update);
    } catch (error) {
      thrown.push(error);
    }
  }
  assert.ok(thrown.length >= 2 && thrown.every((error) => error instanceof TypeError));
});

test("P5.9 (issue 11) the documentation shows the idioms tested here", () => {
  const docs = readFileSync(new URL("../../docs/streaming.md", import.meta.url), "utf8");
  const code = (docs.match(/```ts\n[\s\S]*?```/g) ?? []).join("\n");
  assert.ok(code.includes("process.stdout.write(update.text);"));
  const documentedLoop = readAsDocumented
    .toString()
    .split("\n")
    .slice(1, -1)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.includes("log.push"));
  for (const line of documentedLoop) assert.ok(code.includes(line), `docs/streaming.md lacks: ${line}`);
  const jsdoc = readFileSync(new URL("../../src/streaming/stream.ts", import.meta.url), "utf8");
  assert.ok(jsdoc.includes("process.stdout.write(update.text)"));
  assert.ok(!/choices\[0\]\?\.delta\.content/.test(code + jsdoc), "the old idiom is not shown as code");
});

test("Q2 (issue 11) changing a delivered update never changes the accumulated answer, nor the reverse", async () => {
  const azure = sseCaptures().find((c) => captureChunks(c)[0].prompt_filter_results !== undefined)!;
  const withUsage = sseCaptures().find((c) => captureChunks(c).some((chunk) => chunk.usage))!;
  for (const capture of [azure, withUsage]) {
    const untouched = streamOf(capture.bytes);
    for await (const _ of untouched);
    const expected = (await untouched.finalChatCompletions()).asDict();

    const stream = streamOf(capture.bytes);
    for await (const update of stream) {
      if (update.usage) update.usage.totalTokens = 999;
      const filters = update.get("prompt_filter_results") as Json[] | undefined;
      if (filters) filters[0].prompt_index = 9;
      for (const choice of update.choices ?? []) {
        const results = choice.get("content_filter_results") as Json | undefined;
        if (results) results.hate = "changed";
        if (choice.delta) choice.delta.role = "changed";
      }
      update.set("model", "changed");
    }
    const final = await stream.finalChatCompletions();
    assert.deepEqual(final.asDict(), expected, capture.name);
    if (final.usage) final.usage.totalTokens = 0;
    final.choices[0].message.content = "changed";
    assert.deepEqual(
      (await stream.finalChatCompletions()).asDict(),
      final.asDict(),
      "the same answer each call",
    );
  }
});

test("Q2 (issue 11) a JSON answer to a streamed request (P5.3): its update and the answer share nothing", async () => {
  const sent = {
    id: "x",
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
  };
  const stream = new StreamingChatCompletions(
    sourceOf([JSON.stringify(sent)], { format: "json", headers: { "content-type": "application/json" } }),
  );
  const updates: StreamingChatCompletionsUpdate[] = [];
  for await (const update of stream) {
    updates.push(update);
    update.usage!.totalTokens = 999;
    update.choices![0].delta!.content = "changed";
    (update.get("prompt_filter_results") as Json[])[0].prompt_index = 9;
  }
  assert.equal(updates.length, 1);
  const final = await stream.finalChatCompletions();
  assert.deepEqual(final.asDict(), sent, "the answer is the completion as sent");
  final.usage!.totalTokens = 0;
  final.choices[0].message.content = "changed again";
  assert.equal(updates[0].usage!.totalTokens, 999);
  assert.equal(updates[0].choices![0].delta!.content, "changed");
});
