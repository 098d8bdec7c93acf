import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { PromptTemplate } from "../../../src/helpers/prompts/prompt-template.js";
import { PromptTemplateError } from "../../../src/helpers/prompts/prompt-template-error.js";
import { toPromptParameters } from "../../../src/helpers/prompts/parameters.js";
import { chatOptionWireNames } from "../../../src/models/chat-completions-options.js";
import type { ChatCompletionsOptions } from "../../../src/models/chat-completions-options.js";
import { tempFiles } from "../../support/temp-files.js";

/**
 * Stands in for the client's complete() until it lands: same options type (chat options plus
 * modelExtras), and it builds the request body the way the client does, through the one table.
 */
function complete(
  options: ChatCompletionsOptions & { modelExtras?: Record<string, unknown> },
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [typed, wire] of Object.entries(chatOptionWireNames)) {
    const value = (options as unknown as Record<string, unknown>)[typed];
    if (value !== undefined) body[wire] = value;
  }
  return { ...options.modelExtras, ...body };
}

test("T5 known snake_case parameters become typed options; unknown ones go to modelExtras unchanged", () => {
  assert.deepEqual(
    toPromptParameters({
      max_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      response_format: { type: "json_object" },
      tool_choice: "auto",
      max_completion_tokens: 50,
      top_k: 40,
      safe_prompt: true,
    }),
    {
      maxTokens: 100,
      temperature: 0.2,
      topP: 0.9,
      responseFormat: { type: "json_object" },
      toolChoice: "auto",
      maxCompletionTokens: 50,
      modelExtras: { top_k: 40, safe_prompt: true },
    },
  );
  assert.deepEqual(toPromptParameters({}), {});
});

test("T5 messages, modelName and parameters spread into complete() and make the request body", async (t) => {
  const dir = await tempFiles(t, {
    "p.prompty": [
      "---",
      "model:",
      "  configuration: { azure_deployment: my-deployment }",
      `  parameters: { max_tokens: 64, stop: ["\\n\\n"], top_k: 5 }`,
      "---",
      "system:\nbe short\nuser:\n{{q}}",
    ].join("\n"),
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "p.prompty"));
  const body = complete({
    messages: template.createMessages({ q: "hi" }),
    model: template.modelName,
    ...template.parameters,
  });
  assert.deepEqual(body, {
    messages: [
      { role: "system", content: "be short" },
      { role: "user", content: "hi" },
    ],
    model: "my-deployment",
    max_tokens: 64,
    stop: ["\n\n"],
    top_k: 5,
  });
});

test("T5 stream and stream_options are not spread: they decide what complete() returns", async (t) => {
  const dir = await tempFiles(t, {
    "p.prompty":
      "---\nmodel:\n  parameters: { stream: true, stream_options: { include_usage: true }, seed: 7 }\n---\nhi",
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "p.prompty"));
  assert.deepEqual(template.parameters, { seed: 7 });
  assert.equal(template.prompty?.model.parameters.stream, true);
});

test("T5 messages in the parameters is an error naming the key", async (t) => {
  const dir = await tempFiles(t, { "p.prompty": "---\nmodel:\n  parameters:\n    messages: []\n---\nhi" });
  const file = join(dir, "p.prompty");
  await assert.rejects(
    PromptTemplate.fromPrompty(file),
    (error: unknown) =>
      error instanceof PromptTemplateError &&
      error.file === file &&
      error.line === 4 &&
      error.key === "model.parameters.messages",
  );
});

test("T5 parameters and the parsed file are frozen, so that a template is safe to share", async (t) => {
  const dir = await tempFiles(t, {
    "p.prompty": "---\nmodel:\n  parameters: { stop: [x], top_k: 1 }\n---\nhi",
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "p.prompty"));
  assert.ok(Object.isFrozen(template.parameters));
  assert.ok(Object.isFrozen(template.parameters.stop));
  assert.ok(Object.isFrozen(template.parameters.modelExtras));
  assert.ok(Object.isFrozen(template.prompty?.model.configuration));
  const copy = { ...template.parameters, temperature: 1 };
  assert.equal(copy.temperature, 1);
});
