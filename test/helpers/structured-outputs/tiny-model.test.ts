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
    properties: { code: { type: "string", enum: ["a1", "b2"] }, count: { type: "integer" } },
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

test("#13 SO16 streamed: the tiny model's answer arrives as partial objects, then parses and validates", async () => {
  const stream = await parse(client, {
    messages: [new UserMessage("a person, streamed")],
    responseFormat: { name: "person", schema: Person },
    maxTokens: 200,
    temperature: 0.7,
    seed: 4,
    stream: true,
  });
  const partials: unknown[] = [];
  for await (const partial of stream.partialObjects()) partials.push(structuredClone(partial));
  const answer = await stream.finalChatCompletions();
  const person = answer.choices[0].message.parsed!;
  assert.ok(partials.length > 2, `${partials.length} partials`);
  assert.deepEqual(partials.at(-1), person);
  assert.ok(["happy", "sad"].includes(person.mood));
});

test("#13 SO13 strict: a Zod schema with optional keys, made strict, is taken by the local server and read back", async () => {
  const Mood = z.object({ mood: z.enum(["happy", "sad"]), ok: z.boolean(), score: z.number().optional() });
  const answer = await parse(client, {
    messages: [new UserMessage("a mood")],
    responseFormat: { name: "mood", schema: Mood, strict: true },
    maxTokens: 100,
    temperature: 0,
  });
  const parsed = answer.choices[0].message.parsed!;
  assert.ok(["happy", "sad"].includes(parsed.mood));
  const raw = JSON.parse(answer.choices[0].message.content!) as Record<string, unknown>;
  assert.ok("score" in raw, "strict mode made score required");
  assert.equal(parsed.score, raw.score === null ? undefined : raw.score);
});
