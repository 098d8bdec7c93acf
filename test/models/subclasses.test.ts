// Classes as users meet them (issue 11): copy() keeps the class (M6), and a user's subclass, with a
// constructor of its own or none, is what fromDict, fromJSON, copy() and nested wrapping build.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type Attributes,
  ChatCompletions,
  ChatCompletionsResponseFormat,
  ChatRequestMessage,
  ContentItem,
  TextContentItem,
  UserMessage,
} from "../../src/models/index.js";

test("M6 copy() keeps the class: a ChatRequestMessage with role user stays a ChatRequestMessage", () => {
  const message = new ChatRequestMessage({ role: "user" });
  const copy = message.copy();
  assert.equal(copy.constructor, ChatRequestMessage);
  assert.ok(!(copy instanceof UserMessage));
  assert.ok(copy.equals(message));
  const item = ContentItem.fromDict({ type: "text", text: "t" });
  assert.equal(item.constructor, TextContentItem, "fromDict on a base still picks the subclass (M4.4)");
  assert.equal(item.copy().constructor, TextContentItem);
  const format = new ChatCompletionsResponseFormat({ type: "json_object" });
  assert.equal(format.copy().constructor, ChatCompletionsResponseFormat);
});

class Tallied extends ChatCompletions {
  constructor(attributes: Attributes<ChatCompletions>) {
    super({ ...attributes });
  }
  get answer(): string | null | undefined {
    return this.choices?.[0]?.message?.content;
  }
}

test("M2.2 a user's subclass with its own constructor: fromDict and fromJSON give that class with every key", () => {
  const fromDict = Tallied.fromDict({ id: "x", choices: [{ index: 0, message: { content: "hi" } }] });
  assert.ok(fromDict instanceof Tallied);
  assert.equal(fromDict.id, "x");
  assert.equal(fromDict.answer, "hi");
  assert.deepEqual(fromDict.asDict(), { id: "x", choices: [{ index: 0, message: { content: "hi" } }] });
  const fromJson = Tallied.fromJSON('{"id":"y","extra":1}');
  assert.ok(fromJson instanceof Tallied);
  assert.deepEqual(fromJson.asDict(), { id: "y", extra: 1 });
  const copy = fromJson.copy();
  assert.ok(copy instanceof Tallied);
  assert.deepEqual(copy.asDict(), { id: "y", extra: 1 });
  assert.equal(new Tallied({ id: "z" }).id, "z", "its constructor still runs for new");
});

test("M2.2 a user's subclass keeps its fields and #private members when built from wire data", () => {
  class Annotated extends ChatCompletions {
    #notes: string[] = [];
    seen = 0;
    note(text: string): this {
      this.#notes.push(text);
      return this;
    }
    get notes(): readonly string[] {
      return this.#notes;
    }
  }
  const annotated = Annotated.fromJSON('{"id":"n"}').note("checked");
  assert.deepEqual(annotated.notes, ["checked"]);
  assert.equal(annotated.seen, 0);
  assert.deepEqual(annotated.asDict(), { id: "n" }, "fields are not wire data");
  assert.deepEqual(annotated.copy().notes, [], "a copy is a new instance: its constructor ran");
});

test("M2.2 a user's constructor never sees the wire data; one that cannot be called with no arguments fails clearly", () => {
  let calls = 0;
  class Shouting extends UserMessage {
    constructor(content?: string) {
      calls++;
      super(content?.toUpperCase());
    }
  }
  const message = Shouting.fromDict({ role: "user", content: "as sent" });
  assert.ok(message instanceof Shouting);
  assert.equal(message.content, "as sent", "not reworked by the constructor");
  assert.equal(message.copy().content, "as sent");
  assert.equal(calls, 2);
  assert.equal(new Shouting("hi").content, "HI");
  class Strict extends UserMessage {
    constructor(content: string) {
      if (typeof content !== "string") throw new TypeError("content please");
      super(content);
    }
  }
  assert.throws(
    () => Strict.fromDict({ role: "user", content: "x" }),
    (error: unknown) =>
      error instanceof TypeError &&
      /Strict is built from wire data .* constructor with no arguments, which threw: content please/.test(
        error.message,
      ),
  );
});

test("M4.4 a user's subclass without a constructor of its own: its class, and the polymorphic base still chooses", () => {
  class Mine extends ChatRequestMessage {}
  const mine = Mine.fromDict({ role: "user", content: "c" });
  assert.equal(mine.constructor, Mine, "a subclass without its own field table is never replaced");
  assert.equal(ChatRequestMessage.fromDict({ role: "user" }).constructor, UserMessage);
});
