// SO12: parse() against the local server with the real llama engine and the tiny model, whose
// JSON grammar output closes: the answers are gibberish that follows the schema.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as z from "zod";
import { ChatCompletionsClient, StructuredOutputLengthError, UserMessage } from "../../../src/index.js";
import type { InferenceServer } from "../../../src/server/index.js";
import { parse } from "../../../src/helpers/structured-outputs/index.js";
import { startTinyServer } from "../../support/tiny-server.js";

let server: InferenceServer;
let client: ChatCompletionsClient;
before(async () => {
  server = await startTinyServer();
  client = new ChatCompletionsClient("http://local", null, { fetch: server.fetch, apiVersion: null });
});
after(() => server.close());

const Person = z.object({
  name: z.string().max(20),
  mood: z.enum(["happy", "sad"]),
  ok: z.boolean(),
  tags: z.array(z.string().max(8)).max(3),
});

test("SO12 a Zod schema: the tiny model's answers parse and validate, typed", async () => {
  for (const seed of [1, 2, 3]) {
    const answer = await parse(client, {
      messages: [new UserMessage(`a person, please (${seed})`)],
      responseFormat: { name: "person", schema: Person },
      maxTokens: 200,
      temperature: 0.7,
      seed,
    });
    const person = answer.choices[0].message.parsed!;
    assert.equal(answer.choices[0].finishReason, "stop");
    assert.equal(typeof person.name, "string");
    assert.ok(["happy", "sad"].includes(person.mood));
    assert.ok(person.tags.length <= 3);
    assert.deepEqual(person, JSON.parse(answer.choices[0].message.content!));
  }
});

test("SO12 a plain JSON Schema: the tiny model's answer parses and validates", async () => {
  const schema = {
    type: "object",
    properties: { code: { type: "string", maxLength: 10 }, count: { type: "integer" } },
    required: ["code", "count"],
    additionalProperties: false,
  };
  const answer = await parse<{ code: string; count: number }>(client, {
    messages: [new UserMessage("a code")],
    responseFormat: { name: "code", schema, strict: true },
    maxTokens: 100,
    temperature: 0,
  });
  const parsed = answer.choices[0].message.parsed!;
  assert.equal(typeof parsed.code, "string");
  assert.ok(Number.isInteger(parsed.count));
});

test("SO12 an answer cut by maxTokens throws StructuredOutputLengthError with the real partial content", async () => {
  const error = await parse(client, {
    messages: [new UserMessage("a person")],
    responseFormat: { name: "person", schema: Person },
    maxTokens: 4,
    temperature: 0,
  }).catch((e: unknown) => e);
  assert.ok(error instanceof StructuredOutputLengthError, String(error));
  assert.equal(error.finishReason, "length");
  assert.ok(error.content !== null && error.content.startsWith("{"), `content: ${error.content}`);
  assert.equal(error.completions.usage?.completionTokens, 4);
});
