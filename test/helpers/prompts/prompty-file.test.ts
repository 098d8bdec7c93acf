import { test } from "node:test";
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { PromptTemplate } from "../../../src/helpers/prompts/prompt-template.js";
import {
  PromptTemplateError,
  isPromptTemplateError,
} from "../../../src/helpers/prompts/prompt-template-error.js";
import { tempFiles } from "../../support/temp-files.js";

const hotelUrl = new URL("../../fixtures/prompty/hotel.prompty", import.meta.url);
const hotelPath = fileURLToPath(hotelUrl);

/** Asserts that `promise` rejects with a PromptTemplateError at `file`, `line` and `key`, matching `message`. */
async function rejectsAt(
  promise: Promise<unknown>,
  where: { file: string; line?: number; key?: string },
  message: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof PromptTemplateError, `not a PromptTemplateError: ${String(error)}`);
    assert.equal(error.file, where.file);
    assert.equal(error.line, where.line);
    assert.equal(error.key, where.key);
    assert.match(error.message, message);
    const prefix = `${where.file}${where.line === undefined ? "" : `:${where.line}`}${where.key ? `: ${where.key}` : ""}: `;
    assert.ok(error.message.startsWith(prefix), `"${error.message}" does not start with "${prefix}"`);
    return true;
  });
}

test("T1.1 fromPrompty: modelName, parameters, prompty and messages (the reference's sample)", async () => {
  const template = await PromptTemplate.fromPrompty(hotelPath);
  assert.equal(template.modelName, "gpt-4o-mini");
  assert.equal(template.api, "chat");
  assert.equal(template.prompty?.model.configuration.api_version, "mock-api-version");
  assert.equal(template.parameters.temperature, 1);
  assert.equal(template.parameters.frequencyPenalty, 0.5);
  assert.equal(template.parameters.presencePenalty, 0.5);

  const messages = template.createMessages({
    input: "What's the check-in and check-out time?",
    rules: [
      { rule: "The check-in time is 3pm" },
      { rule: "Breakfast is served from 7am to 10am" },
      { rule: 'The hotel website is https://www.myhotel.com?key1=param1&key2=param"2&key3=param<3>' },
    ],
  });
  assert.equal(messages.length, 2);
  assert.equal(messages[0].role, "system");
  assert.match(messages[0].content as string, /Breakfast is served from 7am to 10am/);
  assert.match(
    messages[0].content as string,
    /The hotel website is https:\/\/www\.myhotel\.com\?key1=param1&amp;key2=param&quot;2&amp;key3=param&lt;3&gt;/,
  );
  assert.deepEqual(messages[1], { role: "user", content: "What's the check-in and check-out time?" });
});

test("T1.1 template.prompty is the parsed file", async () => {
  const { prompty } = await PromptTemplate.fromPrompty(hotelPath);
  assert.ok(prompty);
  assert.equal(prompty.name, "Hotel assistant");
  assert.equal(prompty.description, "Answers guests' questions from the hotel's rules");
  assert.deepEqual(prompty.authors, ["author_1", "author_2"]);
  assert.equal(prompty.version, "1.0");
  assert.equal(prompty.file, hotelPath);
  assert.deepEqual(prompty.template, { type: "mustache", parser: "prompty" });
  assert.deepEqual(prompty.model.parameters, {
    temperature: 1,
    frequency_penalty: 0.5,
    presence_penalty: 0.5,
    max_tokens: 200,
    top_k: 40,
  });
  assert.match(prompty.content, /^system:\nYou are an AI assistant in a hotel\./);
  assert.deepEqual(prompty.sample, { input: "What is the meaning of life?", chat_history: [] });
});

test("T1.2 a relative path resolves against the working directory", async () => {
  const template = await PromptTemplate.fromPrompty(relative(process.cwd(), hotelPath));
  assert.equal(template.prompty?.file, hotelPath);
});

test("T1.2 a file: URL works, for paths relative to the calling module", async () => {
  const template = await PromptTemplate.fromPrompty(hotelUrl);
  assert.equal(template.prompty?.file, hotelPath);
});

test("T1.2 an empty path rejects with TypeError", async () => {
  await assert.rejects(PromptTemplate.fromPrompty(""), TypeError);
  await assert.rejects(PromptTemplate.fromPrompty(undefined as unknown as string), TypeError);
});

test("T2.5 a missing file rejects naming it", async (t) => {
  const dir = await tempFiles(t, {});
  const file = join(dir, "nope.prompty");
  await rejectsAt(PromptTemplate.fromPrompty(file), { file }, /cannot read .*nope\.prompty/);
});

test("T2.1 every field is read", async (t) => {
  const dir = await tempFiles(t, {
    "all.prompty": [
      "---",
      "name: All fields",
      "description: Every key",
      "authors: [ann, bob]",
      "tags: [demo, 2]",
      "version: 1.10",
      "model:",
      "  api: completion",
      "  configuration: { type: azure_openai, azure_deployment: dep }",
      "  parameters: { max_tokens: 5 }",
      "  response: { choice: first }",
      "sample: { q: sampled }",
      "inputs:",
      "  q: { type: string, description: the question }",
      "outputs:",
      "  answer: { type: string }",
      "template: mustache",
      "---",
      "Q: {{q}}",
    ].join("\n"),
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "all.prompty"));
  const { prompty } = template;
  assert.ok(prompty);
  assert.deepEqual(
    { ...prompty, basePrompty: undefined, content: undefined, file: undefined },
    {
      name: "All fields",
      description: "Every key",
      authors: ["ann", "bob"],
      tags: ["demo", "2"],
      version: "1.10",
      base: "",
      basePrompty: undefined,
      model: {
        api: "completion",
        configuration: { type: "azure_openai", azure_deployment: "dep" },
        parameters: { max_tokens: 5 },
        response: { choice: "first" },
      },
      sample: { q: "sampled" },
      inputs: { q: { type: "string", description: "the question" } },
      outputs: { answer: { type: "string", description: "" } },
      template: { type: "mustache", parser: "prompty" },
      content: undefined,
      file: undefined,
    },
  );
  assert.equal(template.api, "completion");
  assert.equal(template.modelName, "dep");
  assert.equal(template.render(), "Q: sampled");
});

test("T2.1 template may be {type, parser}; other renderers and parsers are errors naming the key", async (t) => {
  const dir = await tempFiles(t, {
    "ok.prompty": "---\ntemplate:\n  type: mustache\n  parser: prompty\n---\nhi",
    "jinja.prompty": "---\nname: x\ntemplate: jinja2\n---\nhi",
    "parser.prompty": "---\ntemplate:\n  type: mustache\n  parser: other\n---\nhi",
  });
  const ok = await PromptTemplate.fromPrompty(join(dir, "ok.prompty"));
  assert.deepEqual(ok.prompty?.template, { type: "mustache", parser: "prompty" });
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "jinja.prompty")),
    { file: join(dir, "jinja.prompty"), line: 3, key: "template" },
    /renderer "jinja2" is not supported/,
  );
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "parser.prompty")),
    { file: join(dir, "parser.prompty"), line: 4, key: "template.parser" },
    /parser "other" is not supported/,
  );
});

test("T2.1 an unknown top-level key is an error naming it and its line", async (t) => {
  const dir = await tempFiles(t, { "typo.prompty": "---\nname: x\nmodle:\n  api: chat\n---\nhi" });
  const file = join(dir, "typo.prompty");
  await rejectsAt(PromptTemplate.fromPrompty(file), { file, line: 3, key: "modle" }, /unknown key/);
});

test("T2.1 an unknown model key is an error naming it and its line", async (t) => {
  const dir = await tempFiles(t, {
    "typo.prompty": "---\nmodel:\n  api: chat\n  parameter:\n    top_p: 1\n---\nhi",
  });
  const file = join(dir, "typo.prompty");
  await rejectsAt(PromptTemplate.fromPrompty(file), { file, line: 4, key: "model.parameter" }, /unknown key/);
});

test("T2.1 model.api must be chat, completion, embedding or image; it defaults to chat", async (t) => {
  const dir = await tempFiles(t, {
    "bad.prompty": "---\nmodel:\n  api: chats\n---\nhi",
    "none.prompty": "---\nname: no api\n---\nuser:\nhi",
  });
  const file = join(dir, "bad.prompty");
  await rejectsAt(
    PromptTemplate.fromPrompty(file),
    { file, line: 3, key: "model.api" },
    /one of chat, completion/,
  );
  const none = await PromptTemplate.fromPrompty(join(dir, "none.prompty"));
  assert.equal(none.api, "chat");
  assert.deepEqual(none.createMessages(), [{ role: "user", content: "hi" }]);
});

test("T2.1 a file without front matter is all template", async (t) => {
  const dir = await tempFiles(t, { "plain.prompty": "system:\nbe nice\nuser:\n{{q}}" });
  const template = await PromptTemplate.fromPrompty(join(dir, "plain.prompty"));
  assert.deepEqual(template.createMessages({ q: "hi" }), [
    { role: "system", content: "be nice" },
    { role: "user", content: "hi" },
  ]);
});

test("T2.1 front matter that is never closed names line 1", async (t) => {
  const dir = await tempFiles(t, { "open.prompty": "---\nname: x\nsystem:\nhi\n" });
  const file = join(dir, "open.prompty");
  await rejectsAt(PromptTemplate.fromPrompty(file), { file, line: 1 }, /never closed/);
});

test("T2.1 CRLF line endings and a byte order mark work", async (t) => {
  const dir = await tempFiles(t, {
    "crlf.prompty":
      "\uFEFF---\r\nname: crlf\r\nmodel:\r\n  api: chat\r\n---\r\nsystem:\r\nbe brief\r\n\r\nuser:\r\n{{q}}\r\n",
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "crlf.prompty"));
  assert.equal(template.prompty?.name, "crlf");
  assert.deepEqual(template.createMessages({ q: "why" }), [
    { role: "system", content: "be brief" },
    { role: "user", content: "why" },
  ]);
});

test("T2.5 invalid YAML names the file line", async (t) => {
  const dir = await tempFiles(t, {
    "bad.prompty": "---\nname: x\nmodel:\n  api: [chat\n  other: 1\n---\nhi",
  });
  const file = join(dir, "bad.prompty");
  await assert.rejects(PromptTemplate.fromPrompty(file), (error: unknown) => {
    assert.ok(isPromptTemplateError(error));
    assert.equal(error.file, file);
    assert.ok(error.line !== undefined && error.line >= 4 && error.line <= 6, `line ${error.line}`);
    assert.match(error.message, /invalid YAML front matter/);
    return true;
  });
});

test("T2.5 a duplicate key names the file line", async (t) => {
  const dir = await tempFiles(t, { "dup.prompty": "---\nname: x\ndescription: a\nname: y\n---\nhi" });
  const file = join(dir, "dup.prompty");
  await rejectsAt(PromptTemplate.fromPrompty(file), { file, line: 4 }, /unique/);
});

test("T2.5 a field of the wrong shape names its key and line", async (t) => {
  const dir = await tempFiles(t, {
    "tags.prompty": "---\nname: x\ntags: 5\n---\nhi",
    "params.prompty": "---\nmodel:\n  parameters: [1, 2]\n---\nhi",
    "name.prompty": "---\nname:\n  first: x\n---\nhi",
    "author.prompty": "---\nauthors:\n  - ann\n  - { who: bob }\n---\nhi",
  });
  const at = (name: string) => join(dir, name);
  await rejectsAt(
    PromptTemplate.fromPrompty(at("tags.prompty")),
    { file: at("tags.prompty"), line: 3, key: "tags" },
    /list/,
  );
  await rejectsAt(
    PromptTemplate.fromPrompty(at("params.prompty")),
    { file: at("params.prompty"), line: 3, key: "model.parameters" },
    /mapping/,
  );
  await rejectsAt(
    PromptTemplate.fromPrompty(at("name.prompty")),
    { file: at("name.prompty"), line: 2, key: "name" },
    /text/,
  );
  await rejectsAt(
    PromptTemplate.fromPrompty(at("author.prompty")),
    { file: at("author.prompty"), line: 4, key: "authors[1]" },
    /must be text/,
  );
});

test("T2.5 front matter that is not a mapping is an error", async (t) => {
  const dir = await tempFiles(t, { "list.prompty": "---\n- a\n- b\n---\nhi" });
  const file = join(dir, "list.prompty");
  await rejectsAt(PromptTemplate.fromPrompty(file), { file, line: 2 }, /must be a YAML mapping/);
});

test("T6 front matter strings are kept as YAML gives them (the reference strips them)", async (t) => {
  const dir = await tempFiles(t, {
    "strings.prompty": [
      "---",
      'description: "  padded  "',
      "model:",
      "  parameters:",
      '    stop: ["\\n", " END "]',
      "---",
      "hi",
    ].join("\n"),
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "strings.prompty"));
  assert.equal(template.prompty?.description, "  padded  ");
  assert.deepEqual(template.parameters.stop, ["\n", " END "]);
});

test("T3.6 a Mustache error in the body names the file line", async (t) => {
  const dir = await tempFiles(t, { "bad.prompty": "---\nname: x\n---\nsystem:\nhi\n{{#rules}}\n{{rule}}\n" });
  const file = join(dir, "bad.prompty");
  await rejectsAt(PromptTemplate.fromPrompty(file), { file, line: 6 }, /"rules" is never closed/);
});

test("T2.1 the template body keeps its text exactly; later `---` lines are text", async (t) => {
  const dir = await tempFiles(t, { "body.prompty": "---\nname: x\n---\nsystem:\nabove\n---\nbelow" });
  const template = await PromptTemplate.fromPrompty(join(dir, "body.prompty"));
  assert.equal(template.prompty?.content, "system:\nabove\n---\nbelow");
  assert.deepEqual(template.createMessages(), [{ role: "system", content: "above\n---\nbelow" }]);
});
