import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { PromptTemplate } from "../../../src/helpers/prompts/prompt-template.js";
import { PromptTemplateError } from "../../../src/helpers/prompts/prompt-template-error.js";
import { tempFiles } from "../../support/temp-files.js";

const configuration = (template: PromptTemplate) => template.prompty?.model.configuration;

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

test("T2.2 ${env:NAME} reads the env option; ${env:NAME:default} falls back to its default", async (t) => {
  const dir = await tempFiles(t, {
    "env.prompty": [
      "---",
      "model:",
      "  configuration:",
      "    azure_endpoint: ${env:ENDPOINT}",
      "    api_key: ${env:KEY:fallback-key}",
      "    empty: ${env:EMPTY:unused}",
      "    blank_default: ${env:NOT_SET:}",
      "---",
      "hi",
    ].join("\n"),
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "env.prompty"), {
    env: { ENDPOINT: "https://example.test", EMPTY: "" },
  });
  assert.deepEqual(configuration(template), {
    azure_endpoint: "https://example.test",
    api_key: "fallback-key",
    empty: "",
    blank_default: "",
  });
});

test("T6 the env default is everything after the second colon (the reference keeps only `http`)", async (t) => {
  const dir = await tempFiles(t, {
    "url.prompty":
      "---\nmodel:\n  configuration:\n    endpoint: ${env:MISSING_URL:http://localhost:8080/v1}\n---\nhi",
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "url.prompty"), { env: {} });
  assert.equal(configuration(template)?.endpoint, "http://localhost:8080/v1");
});

test("T2.2 a missing variable without a default is an error naming the variable, key and line", async (t) => {
  const dir = await tempFiles(t, {
    "missing.prompty": "---\nname: x\nmodel:\n  configuration:\n    api_key: ${env:MY_SECRET_KEY}\n---\nhi",
  });
  const file = join(dir, "missing.prompty");
  await rejectsAt(
    PromptTemplate.fromPrompty(file, { env: { OTHER: "x" } }),
    { file, line: 5, key: "model.configuration.api_key" },
    /environment variable MY_SECRET_KEY is not set/,
  );
});

test("T2.2 env lookups see only the variables, not object properties", async (t) => {
  const dir = await tempFiles(t, { "proto.prompty": "---\nname: ${env:constructor}\n---\nhi" });
  const file = join(dir, "proto.prompty");
  await rejectsAt(
    PromptTemplate.fromPrompty(file, { env: {} }),
    { file, line: 2, key: "name" },
    /constructor is not set/,
  );
});

test("T1.1 env defaults to process.env", async (t) => {
  const dir = await tempFiles(t, {
    "env.prompty": "---\nname: ${env:AI_INFERENCE_PROMPTS_TEST_NAME}\n---\nhi",
  });
  process.env.AI_INFERENCE_PROMPTS_TEST_NAME = "from process.env";
  t.after(() => delete process.env.AI_INFERENCE_PROMPTS_TEST_NAME);
  const template = await PromptTemplate.fromPrompty(join(dir, "env.prompty"));
  assert.equal(template.prompty?.name, "from process.env");
});

test("T2.2 substitution reaches lists and every section, sample included", async (t) => {
  const dir = await tempFiles(t, {
    "deep.prompty": [
      "---",
      "tags: [fixed, '${env:TAG}']",
      "sample:",
      "  who: ${env:WHO:nobody}",
      "model:",
      "  parameters:",
      "    stop: ['${env:STOP}']",
      "---",
      "user:\nhello {{who}}",
    ].join("\n"),
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "deep.prompty"), {
    env: { TAG: "dynamic", WHO: "Ada", STOP: "END" },
  });
  assert.deepEqual(template.prompty?.tags, ["fixed", "dynamic"]);
  assert.deepEqual(template.parameters.stop, ["END"]);
  assert.deepEqual(template.createMessages(), [{ role: "user", content: "hello Ada" }]);
});

test("T2.2 strings that merely contain ${ are kept", async (t) => {
  const dir = await tempFiles(t, {
    "kept.prompty": "---\ndescription: costs ${price} total\nname: '${env:X} and more'\n---\nhi",
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "kept.prompty"), { env: {} });
  assert.equal(template.prompty?.description, "costs ${price} total");
  assert.equal(template.prompty?.name, "${env:X} and more");
});

test("T2.2 ${file:x.json} is replaced by the JSON file's content, itself substituted", async (t) => {
  const tools = [{ type: "function", function: { name: "get_time", description: "${env:DESC}" } }];
  const dir = await tempFiles(t, {
    "prompts/tools.prompty":
      "---\nmodel:\n  parameters:\n    tools: ${file:data/tools.json}\n    n: ${file:data/two.json}\n---\nhi",
    "prompts/data/tools.json": JSON.stringify(tools),
    "prompts/data/two.json": "2",
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "prompts/tools.prompty"), {
    env: { DESC: "Tells the time" },
  });
  assert.deepEqual(template.parameters.tools, [
    { type: "function", function: { name: "get_time", description: "Tells the time" } },
  ]);
  assert.equal(template.parameters.n, 2);
});

test("T2.2 a ${file:} that cannot be read names the Prompty file, key and line", async (t) => {
  const dir = await tempFiles(t, { "f.prompty": "---\nname: x\nsample: ${file:nowhere.json}\n---\nhi" });
  const file = join(dir, "f.prompty");
  await rejectsAt(
    PromptTemplate.fromPrompty(file),
    { file, line: 3, key: "sample" },
    /cannot read .*nowhere\.json/,
  );
});

test("T2.2 a ${file:} that is not JSON names that file", async (t) => {
  const dir = await tempFiles(t, {
    "f.prompty": "---\nsample: ${file:bad.json}\n---\nhi",
    "bad.json": "{ nope",
  });
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "f.prompty")),
    { file: join(dir, "bad.json"), line: undefined, key: undefined },
    /not valid JSON/,
  );
});

test("T2.2 an error inside a ${file:} JSON file names that file and its key", async (t) => {
  const dir = await tempFiles(t, {
    "f.prompty": "---\nmodel:\n  configuration: ${file:conf.json}\n---\nhi",
    "conf.json": JSON.stringify({ endpoint: { url: "${env:NO_SUCH_VARIABLE}" } }),
  });
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "f.prompty"), { env: {} }),
    { file: join(dir, "conf.json"), line: undefined, key: "endpoint.url" },
    /NO_SUCH_VARIABLE is not set/,
  );
});

test("T2.2 a ${file:} that includes itself is an error", async (t) => {
  const dir = await tempFiles(t, {
    "f.prompty": "---\nsample: ${file:loop.json}\n---\nhi",
    "loop.json": JSON.stringify({ again: "${file:loop.json}" }),
  });
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "f.prompty")),
    { file: join(dir, "loop.json"), line: undefined, key: "again" },
    /includes itself/,
  );
});

test("T2.2 any other ${...} is an error naming the key and line", async (t) => {
  const dir = await tempFiles(t, {
    "other.prompty": "---\nname: x\nmodel:\n  configuration:\n    key: ${secret:KEY}\n---\nhi",
    "bare.prompty": "---\nversion: ${VERSION}\n---\nhi",
    "noname.prompty": "---\nversion: ${env:}\n---\nhi",
  });
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "other.prompty")),
    { file: join(dir, "other.prompty"), line: 5, key: "model.configuration.key" },
    /unsupported substitution `\$\{secret:KEY\}`/,
  );
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "bare.prompty")),
    { file: join(dir, "bare.prompty"), line: 2, key: "version" },
    /unsupported substitution/,
  );
  await rejectsAt(
    PromptTemplate.fromPrompty(join(dir, "noname.prompty")),
    { file: join(dir, "noname.prompty"), line: 2, key: "version" },
    /names no environment variable/,
  );
});
