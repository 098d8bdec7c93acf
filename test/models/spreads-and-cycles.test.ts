// Issue 11: a spread model (`{ ...model }`) carries the store symbol but none of the data. Wherever
// wire data is accepted it is refused with a TypeError that says what to do instead, never taken
// as `{}` (M3.6). A cyclic value is refused with a TypeError naming where it is (M6 `set`).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChatChoice,
  ChatCompletions,
  CompletionsUsage,
  UserMessage,
  type WireObject,
} from "../../src/models/index.js";

function answer(): ChatCompletions {
  return ChatCompletions.fromDict({
    id: "a",
    choices: [{ index: 0, message: { role: "assistant", content: "hi" } }],
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  });
}

/** A TypeError that says the value was spread and names copy() and asDict(). */
function spreadError(where: RegExp): (error: unknown) => boolean {
  return (error) =>
    error instanceof TypeError &&
    where.test(error.message) &&
    /spreading/.test(error.message) &&
    /copy\(\)/.test(error.message) &&
    /asDict\(\)/.test(error.message);
}

test("M3.6 a spread model is refused by construction, fromDict, set, setters, update and equals", () => {
  const completions = answer();
  const usage = { ...completions.usage };
  assert.throws(() => new ChatCompletions({ usage }), spreadError(/ChatCompletions\.usage/));
  assert.throws(() => CompletionsUsage.fromDict(usage), spreadError(/fromDict/));
  assert.throws(() => ChatCompletions.fromDict({ usage }), spreadError(/wire\.usage/));
  assert.throws(() => completions.set("usage", usage), spreadError(/usage/));
  assert.throws(() => completions.set("extra", { deep: [usage] }), spreadError(/extra.*deep\[0\]/));
  assert.throws(() => (completions.usage = usage as never), spreadError(/ChatCompletions\.usage/));
  assert.throws(() => completions.update(usage), spreadError(/update/));
  assert.throws(() => completions.usage!.equals(usage), spreadError(/equals/));
  const choice = { ...completions.choices[0] };
  assert.throws(() => new ChatCompletions({ choices: [choice] }), spreadError(/choices\[0\]/));
  assert.deepEqual(completions.usage!.asDict(), { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
});

test("M3.6 a spread pushed straight into a list is refused when the model is turned into wire data", () => {
  const completions = answer();
  (completions.choices as unknown[]).push({ ...completions.choices[0] });
  assert.throws(() => completions.asDict(), spreadError(/put straight into a list/));
  assert.throws(() => JSON.stringify(completions), spreadError(/put straight into a list/));
  void completions.choices; // read: the spread is now wrapped like wire data, and still refused
  assert.throws(() => completions.asDict(), spreadError(/ChatChoice put straight into a list/));
});

test("M3.6 the spread error's advice works: the model itself, copy() and asDict() carry the data", () => {
  const completions = answer();
  const usage = completions.usage!;
  assert.equal(new ChatCompletions({ usage }).usage!.totalTokens, 3);
  assert.equal(new ChatCompletions({ usage: usage.copy() }).usage!.totalTokens, 3);
  assert.equal(new ChatCompletions({ usage: { ...usage.asDict(), total_tokens: 4 } }).usage!.totalTokens, 4);
  const message = completions.choices[0].message;
  assert.deepEqual({ ...message.asDict() }, { role: "assistant", content: "hi" });
});

test("M1.1 what spreading, structuredClone and Object.entries give (as docs/models.md says)", () => {
  const message = new UserMessage("hi");
  assert.deepEqual(Object.keys({ ...message }), [], "a spread has no keys of the data");
  assert.deepEqual(structuredClone(message), {}, "structuredClone keeps no data either");
  assert.deepEqual(Object.entries(message), []);
  assert.deepEqual(message.items(), [
    ["role", "user"],
    ["content", "hi"],
  ]);
  assert.deepEqual(Object.entries(message.asDict()), message.items());
  assert.deepEqual(structuredClone(message.asDict()), { role: "user", content: "hi" });
});

test("M6 set() with a cyclic value throws TypeError naming the key, not RangeError", () => {
  const completions = answer();
  const cyclic: WireObject = { a: 1 };
  cyclic.self = cyclic;
  assert.throws(
    () => completions.set("meta", cyclic),
    (error: unknown) =>
      error instanceof TypeError &&
      /ChatCompletions\["meta"\]\.self/.test(error.message) &&
      /cycle/.test(error.message),
  );
  const list: unknown[] = [];
  list.push(list);
  assert.throws(() => completions.set("list", list), /ChatCompletions\["list"\]\[0\].*cycle/);
  assert.throws(() => new ChatChoice({ message: { role: "assistant", extra: cyclic } }), /cycle/);
  assert.throws(
    () => ChatCompletions.fromDict({ meta: cyclic }),
    /fromDict: wire\.meta\.self contains itself/,
  );
  assert.equal(completions.has("meta"), false);
  const shared = { x: 1 };
  completions.set("twice", { a: shared, b: shared });
  assert.deepEqual(
    completions.get("twice"),
    { a: { x: 1 }, b: { x: 1 } },
    "a value seen twice is not a cycle",
  );
  assert.deepEqual(ChatCompletions.fromDict({ a: shared, b: [shared] }).asDict(), {
    a: { x: 1 },
    b: [{ x: 1 }],
  });
});
