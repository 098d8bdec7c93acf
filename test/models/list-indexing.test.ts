// M3.3 as amended by issue 11: a list of models is wrapped on its first read and again only when
// it has changed (its length, or its last item), so that `result.data[i]` in a loop is O(1). The
// cost itself is a benchmark row (bench/models.bench.ts); here, the reads are counted.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChatChoice,
  ChatCompletions,
  ChatCompletionsToolCall,
  EmbeddingItem,
  EmbeddingsResult,
  UserMessage,
  TextContentItem,
} from "../../src/models/index.js";

function embeddings(count: number): EmbeddingsResult {
  return EmbeddingsResult.fromJSON(
    JSON.stringify({
      data: Array.from({ length: count }, (_, index) => ({ object: "embedding", index, embedding: [index] })),
    }),
  );
}

/** Counts how often index `at` of the stored list is read, from now on. */
function countReads(list: unknown[], at: number): () => number {
  let reads = 0;
  let item = list[at];
  Object.defineProperty(list, at, {
    get: () => {
      reads++;
      return item;
    },
    set: (value) => (item = value),
    enumerable: true,
    configurable: true,
  });
  return () => reads;
}

test("M3.3 (amended, issue 11) indexing result.data[i] in a loop reads each item O(1) times, not once per read of the list", () => {
  const result = embeddings(2_048);
  const reads = countReads(result.get("data") as unknown[], 1_000);
  let sum = 0;
  for (let i = 0; i < result.data.length; i++) sum += result.data[i].index;
  assert.equal(sum, (2_047 * 2_048) / 2);
  // One scan wraps, at most one more records that nothing is left to wrap, then the loop's own read.
  assert.ok(reads() <= 3, `item 1000 was read ${reads()} times for 4,096 reads of the list`);
  assert.ok(result.data[1_000] instanceof EmbeddingItem);
});

test("M3.3 (amended) a list is wrapped again when its length changed: push, unshift, splice", () => {
  const result = embeddings(100);
  void result.data; // wrapped and recorded
  void result.data;
  const data = result.data as unknown[];
  data.push({ index: 100, embedding: [1] });
  assert.ok(result.data[100] instanceof EmbeddingItem);
  data.unshift({ index: -1, embedding: [2] });
  assert.ok(result.data[0] instanceof EmbeddingItem);
  assert.equal(result.data[0].index, -1);
  data.splice(50, 0, { index: 0.5 });
  assert.ok(result.data[50] instanceof EmbeddingItem);
  assert.equal(result.data.length, 103);
});

test("M3.3 (amended) a pop then a push of a plain object, and a new last item, are wrapped too", () => {
  const completions = ChatCompletions.fromDict({ choices: [{ index: 0 }, { index: 1 }] });
  void completions.choices;
  void completions.choices;
  const choices = completions.choices as unknown[];
  choices.pop();
  choices.push({ index: 7 });
  assert.ok(completions.choices[1] instanceof ChatChoice, "same length, new last item");
  assert.equal(completions.choices[1].index, 7);
  choices[1] = { index: 8 };
  assert.ok(completions.choices[1] instanceof ChatChoice);
  const message = new UserMessage([new TextContentItem({ text: "a" })]);
  void message.content;
  void message.content;
  (message.content as unknown[]).push({ type: "text", text: "b" });
  assert.ok((message.content as unknown[])[1] instanceof TextContentItem, "content lists too");
});

test("M3.3 (amended) an item replaced in the middle without changing the length is not wrapped again (documented)", () => {
  const result = embeddings(3);
  void result.data;
  void result.data;
  (result.data as unknown[])[1] = { index: 9 };
  assert.deepEqual(result.data[1], { index: 9 }, "left as put: the amendment's trade for O(1) reads");
  assert.equal(result.asDict().data instanceof Array && (result.asDict().data as unknown[]).length, 3);
});

test("M3.3 (amended) what a list remembers is invisible: keys, JSON, copies, deep equality", () => {
  const completions = ChatCompletions.fromDict({
    choices: [{ index: 0, message: { role: "assistant", tool_calls: [{ id: "a" }] } }],
  });
  for (let i = 0; i < 3; i++) void completions.choices[0].message.toolCalls![0];
  const choices = completions.choices;
  assert.deepEqual(Object.keys(choices), ["0"]);
  assert.deepStrictEqual(choices, [completions.choices[0]]);
  assert.equal(
    JSON.stringify(completions.get("choices")),
    '[{"index":0,"message":{"role":"assistant","tool_calls":[{"id":"a"}]}}]',
  );
  assert.deepEqual(Object.keys(structuredClone(completions.asDict())), ["choices"]);
  const calls = completions.choices[0].message.toolCalls!;
  assert.ok(calls[0] instanceof ChatCompletionsToolCall);
  assert.deepStrictEqual(completions.copy().asDict(), completions.asDict());
});

test("M3.3 (amended) a frozen list can still be read", () => {
  const completions = ChatCompletions.fromDict({ choices: [] });
  Object.freeze(completions.get("choices"));
  for (let i = 0; i < 3; i++) assert.deepEqual(completions.choices, []);
});
