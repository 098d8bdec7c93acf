import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import * as browserFiles from "../../../src/internal/platform/prompt-files.browser.js";

// These read the built package (npm test builds first).
const dist = (name: string) => readFile(new URL(`../../../dist/${name}`, import.meta.url), "utf8");
const importsOf = (code: string) => [...code.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]);

test("Q4 importing the SDK entry loads neither yaml nor mustache", async () => {
  const entry = importsOf(await dist("index.js"));
  assert.ok(
    !entry.some((name) => /^(yaml|mustache)$|prompts/.test(name)),
    `index.js imports ${entry.join(", ")}`,
  );
  const prompts = importsOf(await dist("prompts.js"));
  assert.ok(
    prompts.includes("yaml") && prompts.includes("mustache"),
    `prompts.js imports ${prompts.join(", ")}`,
  );
});

test("Q4 the prompts entry loads yaml only when a Prompty file is loaded (fromString never needs it)", async () => {
  const code = await dist("prompts.js");
  assert.match(code, /import\("yaml"\)/);
  assert.doesNotMatch(code, /from\s*"yaml"/);
});

test("T1.1 ai-inference/prompts is its own subpath export", async () => {
  const prompts = await import("ai-inference/prompts");
  const template = prompts.PromptTemplate.fromString("user:\n{{q}}");
  assert.deepEqual(template.createMessages({ q: "hi" }), [{ role: "user", content: "hi" }]);
  assert.equal(typeof prompts.isPromptTemplateError, "function");
});

test("T1.1 where files cannot be read (browsers), fromPrompty's file access throws a TypeError naming fromString", async () => {
  assert.throws(() => browserFiles.toAbsolutePath("x.prompty"), {
    name: "TypeError",
    message: /use PromptTemplate\.fromString/,
  });
  assert.throws(() => browserFiles.readFileBytesSync("x.png"), TypeError);
  await assert.rejects(browserFiles.readTextFile("x.prompty"), TypeError);
  await assert.rejects(browserFiles.readTextFileIfExists("prompty.json"), TypeError);
});
