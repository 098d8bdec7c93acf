// M1 (one store, two views), M3 (the typed view) and M5 (dates).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChatChoice,
  ChatCompletions,
  ChatCompletionsAudio,
  ChatResponseMessage,
  CompletionsUsage,
  FunctionDefinition,
  JsonSchemaFormat,
  Model,
  StreamingChatCompletionsUpdate,
  UserMessage,
} from "../../src/models/index.js";

const wire = () => ({
  id: "cmpl-1",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "m",
  choices: [
    { index: 0, finish_reason: "stop", message: { role: "assistant", content: "hi" }, logprobs: null },
  ],
  usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  system_fingerprint: "fp",
  x_groq: { id: "g" },
});

test("M1.1 any key is data: __proto__, constructor and toString are stored and read as own keys", () => {
  const m = ChatCompletions.fromJSON(
    '{"__proto__": {"polluted": true}, "constructor": 1, "toString": "x", "id": "a"}',
  );
  assert.deepEqual(m.keys(), ["__proto__", "constructor", "toString", "id"]);
  assert.deepEqual(m.get("__proto__"), { polluted: true });
  assert.equal(m.get("constructor"), 1);
  assert.equal(m.has("toString"), true);
  assert.equal(({} as Record<string, unknown>).polluted, undefined, "no prototype was touched");
  const out = m.asDict();
  assert.equal(Object.getPrototypeOf(out), Object.prototype, "asDict() keeps an ordinary prototype");
  assert.ok(Object.hasOwn(out, "__proto__"), "__proto__ comes back out as an ordinary key");
  assert.equal(
    JSON.stringify(out),
    '{"__proto__":{"polluted":true},"constructor":1,"toString":"x","id":"a"}',
  );
});

test("M1.1 has and get see own keys only, never inherited ones", () => {
  const m = new Model();
  for (const key of ["constructor", "toString", "hasOwnProperty", "__proto__", "valueOf"]) {
    assert.equal(m.has(key), false, key);
    assert.equal(m.get(key), undefined, key);
    assert.equal(m.get(key, "fallback"), "fallback", key);
  }
  m.set("__proto__", { a: 1 });
  assert.deepEqual(m.get("__proto__"), { a: 1 });
  assert.equal(Object.getPrototypeOf(m.asDict()), Object.prototype);
  assert.deepEqual(Object.keys(m.asDict()), ["__proto__"]);
});

test("M1.2 M1.3 both views read and write the same store", () => {
  const message = new ChatResponseMessage({ role: "assistant" });
  message.set("content", "x");
  assert.equal(message.content, "x");
  message.content = "y";
  assert.equal(message.get("content"), "y");
  const usage = new CompletionsUsage();
  usage.promptTokens = 5;
  assert.deepEqual(usage.asDict(), { prompt_tokens: 5 });
  usage.set("prompt_tokens", 6);
  assert.equal(usage.promptTokens, 6);
});

test("M1.4 keys that are not fields are kept, in order, in every view", () => {
  const m = ChatCompletions.fromDict(wire());
  assert.deepEqual(m.keys(), [
    "id",
    "object",
    "created",
    "model",
    "choices",
    "usage",
    "system_fingerprint",
    "x_groq",
  ]);
  assert.equal(m.get("system_fingerprint"), "fp");
  assert.deepEqual(m.get("x_groq"), { id: "g" });
  assert.equal(m.choices[0].get("logprobs"), null);
  assert.deepEqual(JSON.parse(JSON.stringify(m)), wire());
  assert.ok(m.equals(wire()));
  const other = wire();
  delete (other as Record<string, unknown>).x_groq;
  assert.equal(m.equals(other), false, "an extra key takes part in equality");
});

test("M1.5 key order is a JavaScript object's: integer-like keys first, then insertion order", () => {
  const m = Model.fromDict({ b: 1, "1": 2, a: 3, "0": 4 });
  const expected = ["0", "1", "b", "a"];
  assert.deepEqual(m.keys(), expected);
  assert.deepEqual(
    [...m].map(([k]) => k),
    expected,
  );
  assert.deepEqual(Object.keys(m.asDict()), expected);
  assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(m))), expected);
  assert.deepEqual(
    m.items().map(([k]) => k),
    expected,
  );
});

test("M3.1 a getter returns undefined for an absent key and null for a stored null", () => {
  const m = ChatResponseMessage.fromDict({ role: "assistant", content: null });
  assert.equal(m.content, null);
  assert.equal(m.toolCalls, undefined);
  assert.equal(m.audio, undefined);
  assert.equal(ChatChoice.fromDict({ message: null }).message, null);
});

test("M3.2 getters never coerce: a number in a string field stays a number", () => {
  const m = ChatResponseMessage.fromDict({ role: 7, content: { text: "not a string" } });
  assert.equal(m.role, 7 as unknown);
  assert.deepEqual(m.content, { text: "not a string" } as unknown);
  assert.equal(FunctionDefinition.fromDict({ name: false }).name, false as unknown);
});

test("M3.3 containers are returned by reference: mutations are kept", () => {
  const format = new JsonSchemaFormat({ name: "n", schema: { type: "object" } });
  format.schema.x = 1;
  assert.deepEqual(format.asDict().schema, { type: "object", x: 1 });
  const completions = ChatCompletions.fromDict(wire());
  completions.choices.push(new ChatChoice({ index: 1 }));
  assert.equal(
    completions.asDict().choices instanceof Array && (completions.asDict().choices as unknown[]).length,
    2,
  );
});

test("M3.3 a plain object pushed into a list of models becomes a model when read, in place", () => {
  const completions = ChatCompletions.fromDict(wire());
  (completions.choices as unknown[]).push({ index: 1, finish_reason: "length" });
  const pushed = completions.choices[1];
  assert.ok(pushed instanceof ChatChoice);
  assert.equal(pushed.finishReason, "length");
  assert.equal(completions.choices[1], pushed, "identity is stable after the wrap");
  assert.equal((completions.get("choices") as unknown[])[1], pushed);
});

test("M3.4 setters store the wire form: models, dates as seconds, undefined deletes, null is stored", () => {
  const choice = new ChatChoice();
  choice.message = { role: "assistant", content: "x" } as never;
  assert.ok(
    choice.message instanceof ChatResponseMessage,
    "a plain object given for a model field becomes a model",
  );
  assert.equal(choice.message.content, "x");
  const completions = new ChatCompletions();
  completions.created = new Date(1_700_000_000_999);
  assert.equal(completions.get("created"), 1_700_000_000);
  completions.usage = null as never;
  assert.equal(completions.get("usage"), null);
  assert.equal(completions.has("usage"), true);
  completions.usage = undefined as never;
  assert.equal(completions.has("usage"), false);
  assert.throws(() => (completions.model = (() => 1) as never), TypeError, "a function is not JSON");
});

test("M3.5 enum-typed fields are open: any string is accepted and returned", () => {
  const choice = ChatChoice.fromDict({ finish_reason: "max_tokens" });
  assert.equal(choice.finishReason, "max_tokens");
  choice.finishReason = "something_new";
  assert.equal(choice.get("finish_reason"), "something_new");
});

test("M3.6 a value of the wrong JSON type is returned as stored", () => {
  const usage = CompletionsUsage.fromDict({ prompt_tokens: "12" });
  assert.equal(usage.promptTokens, "12" as unknown);
});

test("M5.1 M5.4 dates are stored and sent as the seconds received", () => {
  const m = StreamingChatCompletionsUpdate.fromDict({ created: 1_700_000_000 });
  assert.equal(m.get("created"), 1_700_000_000);
  assert.equal(JSON.parse(JSON.stringify(m)).created, 1_700_000_000);
  assert.equal(typeof m.asDict().created, "number");
});

test("M5.2 the getter returns a Date for a finite number (milliseconds kept) and anything else unchanged", () => {
  assert.equal(ChatCompletions.fromDict({ created: 1.2345 }).created.getTime(), 1234);
  assert.equal(ChatCompletions.fromDict({ created: 0 }).created.getTime(), 0);
  assert.equal(ChatCompletions.fromDict({ created: "2024-01-01" }).created, "2024-01-01" as unknown);
  assert.equal(ChatCompletions.fromDict({ created: null }).created, null);
  const audio = ChatCompletionsAudio.fromDict({ expires_at: 1_700_000_000 });
  assert.equal(audio.expiresAt.toISOString(), "2023-11-14T22:13:20.000Z");
});

test("M5.3 setting a Date stores whole seconds, truncated; a number is stored unchanged", () => {
  const m = new ChatCompletions({ created: new Date("2024-01-01T00:00:00.999Z") });
  assert.equal(m.get("created"), 1704067200);
  m.created = 1.5 as never;
  assert.equal(m.get("created"), 1.5);
  const beforeEpoch = new ChatCompletions({ created: new Date(-1500) });
  assert.equal(beforeEpoch.get("created"), -2, "floor, not toward zero");
  assert.throws(
    () => new ChatCompletions({ created: new Date(NaN) }),
    /ChatCompletions\.created: the Date is invalid/,
  );
});

test("M5.4 a Date can never reach the store through an unknown key", () => {
  const m = new UserMessage("x");
  assert.throws(() => m.set("when", new Date()), /when.*Date/);
  assert.equal(m.has("when"), false);
});
