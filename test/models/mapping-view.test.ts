// M6: the reference's dictionary API in TypeScript names, and KeyError.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  ChatChoice,
  ChatCompletions,
  ChatResponseMessage,
  CompletionsUsage,
  KeyError,
  Model,
  UserMessage,
  isKeyError,
} from "../../src/models/index.js";
import { defineModel, field } from "../../src/models/define-model.js";

const sample = () =>
  ChatCompletions.fromDict({
    id: "a",
    created: 5,
    choices: [{ index: 0, message: { role: "assistant", content: "x" } }],
    usage: { prompt_tokens: 1 },
    extra: null,
  });

test("M6 get: the stored value; the fallback only when the key is absent; a stored null is null", () => {
  const m = sample();
  assert.equal(m.get("id"), "a");
  assert.equal(m.get("extra", "fallback"), null);
  assert.equal(m.get("missing", "fallback"), "fallback");
  assert.equal(m.get("missing"), undefined);
});

test("M4.6 M6 mapping-view reads return models for model fields and wire values otherwise", () => {
  const m = sample();
  assert.equal(m.get("created"), 5, "never a Date");
  assert.ok(m.get("usage") instanceof CompletionsUsage);
  assert.equal(m.get("usage"), m.usage);
  const values = m.values();
  assert.equal(values[3], m.usage);
  assert.deepEqual(
    m.items().map(([k]) => k),
    m.keys(),
  );
  assert.equal(m.items()[2][1], m.choices);
  const iterated = new Map(m);
  assert.equal(iterated.get("usage"), m.usage);
  assert.equal(iterated.get("created"), 5);
});

test("M6 set: converts known fields to wire form, rejects non-JSON, undefined deletes, returns the model", () => {
  const m = new ChatCompletions();
  assert.equal(m.set("usage", { prompt_tokens: 2 }), m);
  assert.ok(m.usage instanceof CompletionsUsage);
  m.set("created", new Date(3000));
  assert.equal(m.get("created"), 3);
  m.set("anything", { deep: [1, "two", null, { ok: true }] });
  assert.deepEqual(m.get("anything"), { deep: [1, "two", null, { ok: true }] });
  m.set("nested_model", new UserMessage("hi"));
  assert.deepEqual(m.asDict().nested_model, { role: "user", content: "hi" });
  for (const bad of [() => 1, 10n, Symbol("s"), new Date(), NaN, Infinity, new Map(), { a: [undefined] }]) {
    assert.throws(() => m.set("bad", bad), TypeError, String(typeof bad));
  }
  assert.throws(() => m.set("bad", { inner: { f: () => 1 } }), /\["bad"\]\.inner\.f is a function/);
  assert.equal(m.has("bad"), false);
  m.set("anything", undefined);
  assert.equal(m.has("anything"), false);
});

test("M6 has, delete (Map idiom), size, keys, values, items are snapshots", () => {
  const m = sample();
  assert.equal(m.size, 5);
  const keys = m.keys();
  assert.equal(m.delete("extra"), true);
  assert.equal(m.delete("extra"), false);
  assert.equal(m.has("extra"), false);
  assert.equal(m.size, 4);
  assert.equal(keys.length, 5, "keys() was a snapshot");
});

test("M6 pop: removes and returns; a missing key returns the fallback when one is passed, else KeyError", () => {
  const m = sample();
  assert.equal(m.pop("id"), "a");
  assert.equal(m.has("id"), false);
  assert.equal(m.pop("id", "fallback"), "fallback");
  assert.equal(m.pop("id", undefined), undefined, "an explicit undefined counts as a fallback");
  assert.throws(
    () => m.pop("id"),
    (e: unknown) => e instanceof KeyError && e.key === "id" && e.name === "KeyError" && isKeyError(e),
  );
  assert.ok(m.pop("usage") instanceof CompletionsUsage, "model fields come out as models");
});

test("M6 popItem: removes and returns the last [key, value]; KeyError when empty", () => {
  const m = Model.fromDict({ a: 1, b: 2 });
  assert.deepEqual(m.popItem(), ["b", 2]);
  m.set("c", 3);
  assert.deepEqual(m.popItem(), ["c", 3]);
  assert.deepEqual(m.popItem(), ["a", 1]);
  assert.throws(() => m.popItem(), KeyError);
});

test("M6 setDefault: the value when present, else stores the fallback (null when omitted)", () => {
  const m = new ChatChoice({ index: 0 });
  assert.equal(m.setDefault("index", 5), 0);
  assert.equal(m.setDefault("logprobs"), null);
  assert.equal(m.get("logprobs"), null);
  const message = m.setDefault("message", { role: "assistant" });
  assert.ok(message instanceof ChatResponseMessage, "the stored (converted) value is returned");
  assert.equal(m.message, message);
});

test("M6 update: from a model, a plain object, or an iterable of pairs; values go through set", () => {
  const m = new ChatCompletions();
  m.update({ id: "x", usage: { total_tokens: 3 } });
  assert.ok(m.usage instanceof CompletionsUsage);
  m.update(new Map<string, unknown>([["model", "gpt"]]));
  m.update([["created", new Date(2000)]]);
  m.update(Model.fromDict({ extra: 1 }));
  assert.deepEqual(m.asDict(), { id: "x", usage: { total_tokens: 3 }, model: "gpt", created: 2, extra: 1 });
  assert.throws(() => m.update(5 as never), /update\(\) expects a model, a plain object or an iterable/);
  assert.throws(() => m.update([["a"]] as never), /\[key, value\] pairs/);
  assert.throws(() => m.update({ f: () => 1 }), TypeError);
});

test("M6 clear: removes every key; every getter then returns undefined", () => {
  const m = sample();
  m.clear();
  assert.equal(m.size, 0);
  assert.equal(m.id, undefined);
  assert.equal(m.choices, undefined);
  assert.deepEqual(m.asDict(), {});
});

test("M6 copy: a deep copy of the same class, equal, independent", () => {
  const m = sample();
  void m.choices[0].message; // wrap some nested models first
  const c = m.copy();
  assert.ok(c instanceof ChatCompletions);
  assert.ok(c.equals(m));
  assert.ok(c.choices[0] instanceof ChatChoice);
  assert.notEqual(c.choices[0], m.choices[0]);
  c.choices[0].message.content = "changed";
  c.usage!.promptTokens = 100;
  (c.get("choices") as unknown[]).push({});
  assert.equal(m.choices[0].message.content, "x");
  assert.equal(m.usage!.promptTokens, 1);
  assert.equal(m.choices.length, 1);
});

test("M6 asDict: a new plain JSON-safe object, nested models converted, order kept", () => {
  const m = sample();
  void m.choices[0].message; // force wrapping
  const out = m.asDict();
  assert.equal(JSON.stringify(out), JSON.stringify(sample().asDict()));
  const choices = out.choices as Record<string, unknown>[];
  assert.equal(Object.getPrototypeOf(choices[0]), Object.prototype, "plain objects, not models");
  assert.ok(!(choices[0].message instanceof Model));
  (choices[0].message as Record<string, unknown>).content = "mutated";
  assert.equal(m.choices[0].message.content, "x", "a new object: the store is untouched");
});

test("M6 asDict({ excludeReadonly }) drops read-only fields at every level; field metadata carries visibility", () => {
  class Audited extends Model {
    declare createdBy: string;
    declare child: Audited;
  }
  defineModel(Audited, {
    createdBy: field.value({ visibility: ["read"] }),
    child: field.model(() => Audited),
  });
  const m = Audited.fromDict({ created_by: "svc", note: 1, child: { created_by: "svc", note: 2 } });
  assert.deepEqual(m.asDict({ excludeReadonly: true }), { note: 1, child: { note: 2 } });
  assert.deepEqual(m.asDict(), { created_by: "svc", note: 1, child: { created_by: "svc", note: 2 } });
  const info = Audited.fieldInfo().find((f) => f.name === "createdBy")!;
  assert.deepEqual([info.wire, info.readonly, info.visibility], ["created_by", true, ["read"]]);
  // The service's specification marks no field read-only, so for every real model both forms agree.
  const real = sample();
  assert.deepEqual(real.asDict({ excludeReadonly: true }), real.asDict());
  assert.ok(ChatCompletions.fieldInfo().every((f) => !f.readonly && f.visibility.includes("create")));
});

test("M6 toJSON and toString give the wire JSON", () => {
  const m = new UserMessage("hi");
  assert.equal(JSON.stringify(m), '{"role":"user","content":"hi"}');
  assert.equal(m.toString(), JSON.stringify({ role: "user", content: "hi" }, null, 2));
  assert.equal(`${m}`, m.toString());
  assert.match(inspect(m), /^UserMessage \{ role: 'user', content: 'hi' \}$/);
});

test("M6 equals: deep equality of wire forms, key order ignored, numbers by value; models or plain objects only", () => {
  const a = Model.fromDict({ a: 1, b: [1, { c: 2 }] });
  assert.ok(a.equals({ b: [1, { c: 2 }], a: 1.0 }));
  assert.ok(a.equals(Model.fromDict({ b: [1, { c: 2 }], a: 1 })));
  assert.ok(new UserMessage("hi").equals(Model.fromDict({ role: "user", content: "hi" })), "any model class");
  assert.equal(a.equals({ a: 1, b: [1, { c: 3 }] }), false);
  assert.equal(a.equals({ a: 1 }), false);
  assert.equal(new UserMessage("hi").equals("hi"), false);
  assert.equal(a.equals(null), false);
  assert.equal(a.equals([["a", 1]]), false);
});
