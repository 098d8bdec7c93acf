import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PromptTemplate } from "../../../src/helpers/prompts/prompt-template.js";
import { PromptTemplateError } from "../../../src/helpers/prompts/prompt-template-error.js";
import { tempFiles } from "../../support/temp-files.js";

const childPath = fileURLToPath(new URL("../../fixtures/prompty/inheritance/child.prompty", import.meta.url));
const basePath = fileURLToPath(new URL("../../fixtures/prompty/inheritance/base.prompty", import.meta.url));

async function rejectsAt(
  promise: Promise<unknown>,
  where: { file: string; line?: number; key?: string },
  message: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof PromptTemplateError, String(error));
    assert.deepEqual({ file: error.file, line: error.line, key: error.key }, where);
    assert.match(error.message, message);
    return true;
  });
}

test("T2.3 base: the child's values win and authors and tags are united", async () => {
  const { prompty } = await PromptTemplate.fromPrompty(childPath);
  assert.ok(prompty);
  assert.equal(prompty.name, "Child prompt");
  assert.equal(prompty.description, "Shared settings");
  assert.equal(prompty.version, "2");
  assert.deepEqual(prompty.authors, ["base_author", "shared_author", "child_author"]);
  assert.deepEqual(prompty.tags, ["base", "shared", "child"]);
  assert.deepEqual(prompty.model, {
    api: "chat",
    configuration: { azure_deployment: "child-deployment", api_version: "base-version" },
    parameters: { temperature: 0.9, max_tokens: 100 },
    response: { format: "text" },
  });
  assert.deepEqual(prompty.sample, { name: "Child Sample", topic: "cooking" });
  assert.equal(prompty.base, "base.prompty");
  assert.equal(prompty.basePrompty?.file, basePath);
  assert.equal(prompty.basePrompty?.name, "Base prompt");
});

test("T2.3 base: modelName and parameters reflect the merge; the body is the child's", async () => {
  const template = await PromptTemplate.fromPrompty(childPath);
  assert.equal(template.modelName, "child-deployment");
  assert.deepEqual(template.parameters, { temperature: 0.9, maxTokens: 100 });
  assert.deepEqual(template.createMessages(), [
    { role: "system", content: "You help Child Sample with cooking." },
  ]);
});

test("T2.3 base: the API comes from the base when the child names none, through a chain of three", async (t) => {
  const dir = await tempFiles(t, {
    "a.prompty": "---\nbase: sub/b.prompty\nname: a\n---\nA {{x}} {{y}} {{z}}",
    "sub/b.prompty": "---\nbase: ../c.prompty\nsample: { y: from-b }\n---\nB",
    "c.prompty": "---\nmodel:\n  api: completion\nsample: { x: from-c, y: from-c, z: from-c }\n---\nC",
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "a.prompty"));
  assert.equal(template.api, "completion");
  assert.equal(template.render(), "A from-c from-b from-c");
  assert.equal(template.prompty?.basePrompty?.basePrompty?.file, join(dir, "c.prompty"));
});

test("T2.3 a base that includes itself is an error naming the base key", async (t) => {
  const dir = await tempFiles(t, {
    "a.prompty": "---\nname: a\nbase: b.prompty\n---\nA",
    "b.prompty": "---\nbase: a.prompty\n---\nB",
  });
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "a.prompty")),
    { file: join(dir, "b.prompty"), line: 2, key: "base" },
    /already being loaded/,
  );
});

test("T2.3 a missing base is an error naming the child's base line", async (t) => {
  const dir = await tempFiles(t, { "a.prompty": "---\nname: a\nbase: gone.prompty\n---\nA" });
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "a.prompty")),
    { file: join(dir, "a.prompty"), line: 3, key: "base" },
    /cannot read .*gone\.prompty/,
  );
});

test("T2.3 an error inside the base names the base file", async (t) => {
  const dir = await tempFiles(t, {
    "a.prompty": "---\nbase: b.prompty\n---\nA",
    "b.prompty": "---\nname: b\nmodel:\n  api: voice\n---\nB",
  });
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "a.prompty")),
    { file: join(dir, "b.prompty"), line: 4, key: "model.api" },
    /must be one of/,
  );
});

test("T2.3 prompty.json beside the file: its default entry is merged under model.configuration", async () => {
  const template = await PromptTemplate.fromPrompty(
    new URL("../../fixtures/prompty/hotel.prompty", import.meta.url),
  );
  assert.deepEqual(template.prompty?.model.configuration, {
    azure_deployment: "gpt-4o-mini",
    type: "azure",
    api_version: "mock-api-version",
  });
});

test("T2.3 prompty.json values are substituted; with no configuration in the file it is all of it", async (t) => {
  const dir = await tempFiles(t, {
    "p.prompty": "---\nname: p\n---\nhi",
    "prompty.json": JSON.stringify({
      default: { api_key: "${env:PROMPTY_KEY}", type: "azure" },
      other: { type: "x" },
    }),
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "p.prompty"), { env: { PROMPTY_KEY: "k" } });
  assert.deepEqual(template.prompty?.model.configuration, { api_key: "k", type: "azure" });
});

test("T2.3 a prompty.json without a default object, or not JSON, is an error naming it", async (t) => {
  const dir = await tempFiles(t, {
    "nodefault/p.prompty": "---\nname: p\n---\nhi",
    "nodefault/prompty.json": JSON.stringify({ production: { type: "azure" } }),
    "broken/p.prompty": "---\nname: p\n---\nhi",
    "broken/prompty.json": "{ default: ",
    "envless/p.prompty": "---\nname: p\n---\nhi",
    "envless/prompty.json": JSON.stringify({ default: { key: "${env:UNSET_IN_TEST}" } }),
  });
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "nodefault/p.prompty")),
    { file: join(dir, "nodefault/prompty.json"), line: undefined, key: "default" },
    /must hold a "default" object/,
  );
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "broken/p.prompty")),
    { file: join(dir, "broken/prompty.json"), line: undefined, key: undefined },
    /not valid JSON/,
  );
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "envless/p.prompty"), { env: {} }),
    { file: join(dir, "envless/prompty.json"), line: undefined, key: "default.key" },
    /UNSET_IN_TEST is not set/,
  );
});

test("T2.4 sample fills the inputs missing from the data; given data wins", async (t) => {
  const dir = await tempFiles(t, {
    "s.prompty":
      "---\nsample:\n  name: Jane\n  question: Why?\n  extra: E\n---\nuser:\n{{name}} asks {{question}} {{extra}}",
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "s.prompty"));
  assert.deepEqual(template.createMessages(), [{ role: "user", content: "Jane asks Why? E" }]);
  assert.deepEqual(template.createMessages({ name: "Ada", extra: undefined }), [
    { role: "user", content: "Ada asks Why?" },
  ]);
});

test("T2.4 a sample key named __proto__ stays data", async (t) => {
  const dir = await tempFiles(t, {
    "s.prompty": "---\nsample:\n  __proto__: { polluted: yes }\n---\n{{polluted}}|{{__proto__.polluted}}",
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "s.prompty"));
  assert.equal(template.render({}), "|yes");
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
});
