// M9: each deliberate difference from the Python reference, one test per row.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ContentItem } from "../../src/models/index.js";
import {
  ChatCompletions,
  ChatCompletionsToolCall,
  ChatResponseMessage,
  CompletionsUsage,
  JsonSchemaFormat,
  Model,
  StreamingChatCompletionsUpdate,
  TextContentItem,
  UserMessage,
} from "../../src/models/index.js";

test("M9 copy() is a deep copy of the same class, equal to the original", () => {
  const original = ChatCompletions.fromDict({ id: "a", choices: [{ index: 0 }] });
  const copy = original.copy();
  assert.ok(copy instanceof ChatCompletions);
  assert.ok(copy.equals(original));
  assert.deepEqual(copy.keys(), ["id", "choices"], "no _data key");
});

test('M9 getters never coerce: a dict is not turned into text, "false" is not true', () => {
  const message = ChatResponseMessage.fromDict({ content: { a: 1 } });
  assert.deepEqual(message.content, { a: 1 } as unknown);
  const format = JsonSchemaFormat.fromDict({ strict: "false" });
  assert.equal(format.strict, "false" as unknown);
  assert.notEqual(format.strict, true);
});

test("M9 container getters return the stored container, so mutations are not lost", () => {
  const format = new JsonSchemaFormat({ name: "n", schema: {} });
  format.schema.x = 1;
  assert.deepEqual(format.schema, { x: 1 });
  assert.equal(format.schema, format.schema);
});

test("M9 m.set('usage', {...}) stores a model, and the typed view returns it", () => {
  const m = new ChatCompletions();
  m.set("usage", { prompt_tokens: 1 });
  assert.ok(m.usage instanceof CompletionsUsage);
  assert.equal(m.usage.promptTokens, 1);
});

test("M9 UserMessage list content items are models, not plain objects", () => {
  const m = new UserMessage([{ type: "text", text: "hi" }]);
  assert.ok((m.content as ContentItem[])[0] instanceof TextContentItem);
  assert.deepEqual(m.asDict(), { role: "user", content: [{ type: "text", text: "hi" }] });
});

test("M9 ChatCompletionsToolCall.fromDict keeps the type it was given", () => {
  assert.equal(ChatCompletionsToolCall.fromDict({ type: "x" }).type, "x");
});

test("M9 equals accepts models and plain objects only: UserMessage('hi') does not equal 'hi'", () => {
  assert.equal(new UserMessage("hi").equals("hi"), false);
  assert.equal(new UserMessage("hi").equals({ role: "user", content: "hi" }), true);
});

test("M9 the store is always JSON-safe: no Date can enter through set or update", () => {
  const m = new Model();
  assert.throws(() => m.set("when", new Date()), TypeError);
  assert.throws(() => m.update({ when: new Date() }), TypeError);
  const c = new ChatCompletions();
  c.update({ created: new Date(5000) });
  assert.equal(c.get("created"), 5, "a date field converts instead");
  assert.doesNotThrow(() => JSON.stringify(c.asDict()));
});

test("M9 streaming tool-call updates carry index and type", () => {
  const update = StreamingChatCompletionsUpdate.fromDict({
    choices: [{ delta: { tool_calls: [{ index: 2, type: "function", function: {} }] } }],
  });
  const call = update.choices![0].delta!.toolCalls![0];
  assert.deepEqual([call.index, call.type], [2, "function"]);
});

test("M9 undefined and null are distinct: undefined deletes, null is stored", () => {
  const m = new ChatResponseMessage({ content: null });
  assert.equal(m.has("content"), true);
  m.content = undefined as never;
  assert.equal(m.has("content"), false);
});

test("M9 toString() is the wire JSON for every model", () => {
  assert.equal(new TextContentItem({ text: "t" }).toString(), '{\n  "type": "text",\n  "text": "t"\n}');
});
