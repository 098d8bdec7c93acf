// SO3: `parsed` is derived data beside the store: the mapping view, JSON and equality see the wire
// message only; copy() keeps the class and carries parsed over. See docs/structured-outputs.md.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ChatCompletions, ChatResponseMessage } from "../../../src/index.js";
import { ParsedChatResponseMessage } from "../../../src/helpers/structured-outputs/index.js";
import { parseChoices } from "../../../src/helpers/structured-outputs/parse-choices.js";
import { completionBody } from "../../support/chat-replies.js";

const content = '{"city":"Paris","tags":["a"]}';
const wire = { role: "assistant", content, refusal: null };

test("SO3 parsed is not a wire key: keys(), get(), has(), asDict() and JSON show the wire message only", () => {
  const message = ParsedChatResponseMessage.of(ChatResponseMessage.fromDict(wire), { city: "Paris" });
  assert.deepEqual(message.parsed, { city: "Paris" });
  assert.deepEqual(message.keys(), ["role", "content", "refusal"]);
  assert.equal(message.has("parsed"), false);
  assert.equal(message.get("parsed"), undefined);
  assert.deepEqual(message.asDict(), wire);
  assert.equal(JSON.stringify(message), JSON.stringify(wire));
  assert.deepEqual(
    [...message].map(([key]) => key),
    ["role", "content", "refusal"],
  );
});

test("SO3 equals() compares wire forms: a parsed message equals its plain message, whatever parsed holds", () => {
  const plain = ChatResponseMessage.fromDict(wire);
  const a = ParsedChatResponseMessage.of(plain, { city: "Paris" });
  const b = ParsedChatResponseMessage.of(plain, { city: "elsewhere" });
  assert.ok(a.equals(plain));
  assert.ok(a.equals(b));
  assert.ok(a.equals(wire));
  b.set("content", "{}");
  assert.ok(!a.equals(b));
});

test("SO3 copy() keeps the class, deep-copies the store and carries parsed over as the same value", () => {
  const parsed = { city: "Paris", when: new Date(0) };
  const message = ParsedChatResponseMessage.of(ChatResponseMessage.fromDict(wire), parsed);
  const copied = message.copy();
  assert.ok(copied instanceof ParsedChatResponseMessage);
  assert.equal(copied.parsed, parsed);
  copied.set("content", "changed");
  assert.equal(message.content, content, "the store is not shared");
});

test("SO3 a parsed ChatCompletions copies with its parsed messages, and round-trips through asDict() as plain", async () => {
  const completions = ChatCompletions.fromDict(completionBody({ content }));
  const parsed = await parseChoices<{ city: string }>(completions, {
    format: "json_object",
    name: undefined,
    check: undefined,
  });
  assert.equal(parsed, completions, "parsed in place");
  const copied = parsed.copy();
  assert.ok(copied.choices[0].message instanceof ParsedChatResponseMessage);
  assert.deepEqual((copied.choices[0].message as ParsedChatResponseMessage).parsed, {
    city: "Paris",
    tags: ["a"],
  });
  assert.ok(copied.equals(completions));
  const again = ChatCompletions.fromDict(parsed.asDict());
  assert.deepEqual(again.asDict(), parsed.asDict());
  assert.ok(!(again.choices[0].message instanceof ParsedChatResponseMessage));
  assert.ok(again.equals(parsed));
});

test("SO3 parsed is read-only", () => {
  const message = ParsedChatResponseMessage.of(ChatResponseMessage.fromDict(wire), {
    city: "Paris",
  }) as unknown as {
    parsed: unknown;
  };
  assert.throws(() => {
    message.parsed = 1;
  }, TypeError);
});
