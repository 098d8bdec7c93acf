// M2: construction from typed attributes, from wire data, from JSON text.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AssistantMessage,
  ChatChoice,
  ChatCompletions,
  ChatCompletionsNamedToolChoice,
  ChatCompletionsToolCall,
  ChatCompletionsToolDefinition,
  DeveloperMessage,
  ImageContentItem,
  ImageUrl,
  Model,
  SystemMessage,
  TextContentItem,
  ToolMessage,
  UserMessage,
} from "../../src/models/index.js";

test("M2.1 attributes use typed names; undefined is skipped and null stored", () => {
  const choice = new ChatChoice({ index: 0, finishReason: null, message: undefined });
  assert.deepEqual(choice.asDict(), { index: 0, finish_reason: null });
  assert.equal(choice.has("message"), false);
});

test("M2.1 attributes accept models or wire objects for model fields, Date for dates, strings for enums", () => {
  const completions = new ChatCompletions({
    id: "a",
    created: new Date(1_000_000_000_000),
    choices: [{ index: 0, message: { role: "assistant", content: "x" } }, new ChatChoice({ index: 1 })],
  });
  assert.equal(completions.get("created"), 1_000_000_000);
  assert.ok(completions.choices[0] instanceof ChatChoice);
  assert.equal(completions.choices[0].message.content, "x");
  assert.equal(completions.choices[1].index, 1);
});

test("M2.1 an unknown attribute throws TypeError naming it", () => {
  assert.throws(
    () => new ChatChoice({ bogus: 1 } as never),
    (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, /ChatChoice got an unexpected attribute "bogus"/);
      assert.match(e.message, /index, finishReason, message/);
      return true;
    },
  );
  assert.throws(() => new ChatChoice({ finish_reason: "stop" } as never), /Did you mean "finishReason"\?/);
  assert.throws(() => new ChatChoice("x" as never), /expects an object of attributes/);
});

test("M2.2 fromDict keeps every key in order and adds, removes or rewrites nothing, at every depth", () => {
  const wire = {
    z: 1,
    choices: [{ message: { tool_calls: [{ type: "not-function", extra: [1, { a: null }] }] }, zz: true }],
    a: { nested: { deeper: ["x"] } },
  };
  const m = ChatCompletions.fromDict(wire);
  void m.choices[0].message.toolCalls![0].function; // reading wraps lazily; it must not change the wire form
  assert.equal(JSON.stringify(m.asDict()), JSON.stringify(wire));
  assert.equal(m.choices[0].message.toolCalls![0].type, "not-function");
});

test("M2.2 fromDict never throws on shape: missing required fields and wrong types are fine", () => {
  assert.deepEqual(ChatCompletions.fromDict({}).asDict(), {});
  const odd = ChatCompletions.fromDict({ choices: "x", usage: 5, created: "yesterday" });
  assert.equal(odd.choices, "x" as unknown);
  assert.equal(odd.usage, 5 as unknown);
});

test("M2.2 fromDict throws TypeError only when the wire value is not a plain object", () => {
  for (const bad of [null, [], "x", 1, new Date(), new Map()]) {
    assert.throws(() => ChatCompletions.fromDict(bad as never), TypeError, String(bad));
  }
  assert.doesNotThrow(() => ChatCompletions.fromDict(Object.create(null)));
});

test("M2.2 fromDict never writes into objects the caller can still see", () => {
  const wire = { choices: [{ message: { role: "assistant" } }], usage: { prompt_tokens: 1 } };
  const snapshot = JSON.stringify(wire);
  const m = ChatCompletions.fromDict(wire);
  m.choices[0].message.content = "changed";
  m.usage!.promptTokens = 99;
  m.choices.push(new ChatChoice({ index: 1 }));
  assert.equal(JSON.stringify(wire), snapshot);
  assert.ok(!(wire.choices[0] instanceof Model), "no model instance was stored into the caller's list");
});

test("M2.3 fromJSON parses, with clear errors for invalid JSON and non-objects", () => {
  assert.equal(ChatCompletions.fromJSON('{"id":"x"}').id, "x");
  assert.throws(
    () => ChatCompletions.fromJSON("{nope"),
    (e: unknown) => {
      assert.ok(e instanceof SyntaxError);
      assert.match(e.message, /ChatCompletions\.fromJSON: the text is not valid JSON/);
      return true;
    },
  );
  assert.throws(
    () => ChatCompletions.fromJSON("[1]"),
    /ChatCompletions\.fromJSON expects a JSON object, got an array/,
  );
  assert.throws(() => ChatCompletions.fromJSON("null"), /got null/);
});

test("M2.4 a fixed discriminator is the first key in the attribute form", () => {
  assert.deepEqual(Object.keys(new TextContentItem({ text: "t" }).asDict()), ["type", "text"]);
  assert.deepEqual(Object.keys(new ToolMessage({ toolCallId: "c", content: "r" }).asDict()), [
    "role",
    "tool_call_id",
    "content",
  ]);
  assert.deepEqual(new ImageContentItem({ imageUrl: new ImageUrl({ url: "u" }) }).asDict(), {
    type: "image_url",
    image_url: { url: "u" },
  });
  assert.throws(() => new TextContentItem({ type: "image_url", text: "t" }), /always "text"/);
});

test("M2.4 fromDict never adds the discriminator, and keeps a different one as given", () => {
  assert.deepEqual(TextContentItem.fromDict({ text: "t" }).asDict(), { text: "t" });
  assert.equal(TextContentItem.fromDict({ text: "t" }).type, undefined);
  const other = UserMessage.fromDict({ role: "assistant", content: "x" });
  assert.ok(other instanceof UserMessage);
  assert.equal(other.role, "assistant");
});

test("M2.5 tool call, tool definition and named tool choice: the attribute form sets type function", () => {
  assert.equal(
    new ChatCompletionsToolCall({ id: "c", function: { name: "f", arguments: "{}" } }).type,
    "function",
  );
  assert.equal(new ChatCompletionsToolDefinition({ function: { name: "f" } }).get("type"), "function");
  assert.equal(new ChatCompletionsNamedToolChoice({ function: { name: "f" } }).type, "function");
  assert.equal(ChatCompletionsToolCall.fromDict({ type: "x" }).type, "x", "fromDict leaves the data alone");
  assert.equal(ChatCompletionsToolCall.fromDict({ id: "c" }).type, undefined);
});

test("M2.6 messages take their content positionally", () => {
  assert.deepEqual(new UserMessage("hi").asDict(), { role: "user", content: "hi" });
  assert.deepEqual(new SystemMessage("be brief").asDict(), { role: "system", content: "be brief" });
  assert.deepEqual(new DeveloperMessage("dev").asDict(), { role: "developer", content: "dev" });
  assert.deepEqual(new ToolMessage("42", { toolCallId: "call_1" }).asDict(), {
    role: "tool",
    content: "42",
    tool_call_id: "call_1",
  });
  assert.deepEqual(new AssistantMessage(null, { toolCalls: [] }).asDict(), {
    role: "assistant",
    content: null,
    tool_calls: [],
  });
  const parts = new UserMessage([
    new TextContentItem({ text: "hi" }),
    { type: "image_url", image_url: { url: "u" } },
  ]);
  assert.ok(parts.content[1] instanceof ImageContentItem);
  assert.deepEqual(new UserMessage({ content: "keyword form" }).asDict(), {
    role: "user",
    content: "keyword form",
  });
});

test("M2.6 content given both positionally and in the attributes throws the reference's message", () => {
  assert.throws(
    () => new UserMessage("a", { content: "b" }),
    (e: unknown) =>
      e instanceof TypeError &&
      e.message === "content cannot be provided as positional and keyword arguments",
  );
  assert.throws(() => new ToolMessage("a", { content: "b", toolCallId: "c" }), /positional and keyword/);
});
