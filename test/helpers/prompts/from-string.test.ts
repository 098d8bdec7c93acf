import { test } from "node:test";
import assert from "node:assert/strict";
import { PromptTemplate } from "../../../src/helpers/prompts/prompt-template.js";
import { removeCommonIndentation } from "../../../src/helpers/prompts/dedent.js";

test("T1.1 fromString makes wire messages (the reference's test)", () => {
  const template = PromptTemplate.fromString("system prompt template text\nuser:\n{{input}}", {
    api: "chat",
  });
  assert.deepEqual(template.createMessages({ input: "user question input text" }), [
    { role: "system", content: "system prompt template text" },
    { role: "user", content: "user question input text" },
  ]);
});

test("T1.1 fromString: api, modelName, parameters {} and no prompty", () => {
  const plain = PromptTemplate.fromString("hi");
  assert.equal(plain.api, "chat");
  assert.equal(plain.modelName, undefined);
  assert.deepEqual(plain.parameters, {});
  assert.equal(plain.prompty, undefined);
  const named = PromptTemplate.fromString("hi", { modelName: "gpt-4o-mini" });
  assert.equal(named.modelName, "gpt-4o-mini");
});

test("T1.1 createMessages without data renders the missing names as nothing", () => {
  assert.deepEqual(PromptTemplate.fromString("system:\nHello {{name}}!").createMessages(), [
    { role: "system", content: "Hello !" },
  ]);
});

test("T1.1 the template renders again with other data", () => {
  const template = PromptTemplate.fromString("user:\n{{q}}");
  assert.deepEqual(template.createMessages({ q: "one" }), [{ role: "user", content: "one" }]);
  assert.deepEqual(template.createMessages({ q: "two" }), [{ role: "user", content: "two" }]);
});

test("T4.3 leading blank lines and the common indentation are removed (the reference's test)", () => {
  assert.deepEqual(removeCommonIndentation("First line\nSecond line"), {
    text: "First line\nSecond line",
    droppedLines: 0,
  });
  assert.deepEqual(
    removeCommonIndentation("\n    \n    First line\n\n      Second line\n        Third line\n"),
    {
      text: "First line\n\n  Second line\n    Third line",
      droppedLines: 2,
    },
  );
});

test("T4.3 an indented template literal reads as the text it shows", () => {
  const template = PromptTemplate.fromString(`
    system:
      You answer in {{language}}.
    user:
    {{question}}
  `);
  assert.equal(
    template.render({ language: "French", question: "Why?" }),
    "system:\n  You answer in French.\nuser:\nWhy?\n",
  );
  assert.deepEqual(template.createMessages({ language: "French", question: "Why?" }), [
    { role: "system", content: "You answer in French." },
    { role: "user", content: "Why?" },
  ]);
});

test("T4.3 tab indentation is removed too", () => {
  assert.equal(PromptTemplate.fromString("\n\t\tuser:\n\t\t{{q}}").render({ q: "x" }), "user:\nx");
});

test("T1.1 fromString rejects a non-string template, an unknown api and a non-string modelName", () => {
  assert.throws(() => PromptTemplate.fromString(42 as unknown as string), TypeError);
  assert.throws(() => PromptTemplate.fromString("x", { api: "chats" as "chat" }), RangeError);
  assert.throws(() => PromptTemplate.fromString("x", { modelName: 4 as unknown as string }), TypeError);
});

test("T1.1 createMessages of a non-chat template throws; render() gives its text", () => {
  const template = PromptTemplate.fromString("Complete this: {{start}}", { api: "completion" });
  assert.equal(template.api, "completion");
  assert.throws(
    () => template.createMessages({ start: "x" }),
    /needs a chat template.*"completion".*render\(\)/,
  );
  assert.equal(template.render({ start: "Once upon" }), "Complete this: Once upon");
});

test("T1.1 createMessages rejects data that is not an object", () => {
  const template = PromptTemplate.fromString("{{x}}");
  for (const bad of [null, "text", 3, ["x"]]) {
    assert.throws(() => template.createMessages(bad as unknown as object), TypeError);
  }
});

test("T1.1 data may be a class instance: its getters are read", () => {
  class Guest {
    get name() {
      return "Ada";
    }
  }
  assert.deepEqual(PromptTemplate.fromString("user:\nI am {{name}}").createMessages(new Guest()), [
    { role: "user", content: "I am Ada" },
  ]);
});

test("T4.4 fromString keeps image targets as written (it has no folder to read from)", () => {
  const template = PromptTemplate.fromString(
    "user:\nLook ![cat](cat.png) and ![dog](https://x.test/dog.jpg)",
  );
  assert.deepEqual(template.createMessages(), [
    {
      role: "user",
      content: [
        { type: "text", text: "Look" },
        { type: "image_url", image_url: { url: "cat.png" } },
        { type: "text", text: "and" },
        { type: "image_url", image_url: { url: "https://x.test/dog.jpg" } },
      ],
    },
  ]);
});
