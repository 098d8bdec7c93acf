// parse() over real loopback HTTP: byte-exact scripted answers for every outcome, and the recorded
// Azure OpenAI structured-output exchange replayed. SO ids: see docs/structured-outputs.md.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as z from "zod";
import {
  AzureKeyCredential,
  ChatCompletions,
  ChatCompletionsClient,
  ChatResponseMessage,
  JsonSchemaFormat,
  StructuredOutputError,
  StructuredOutputJsonError,
  StructuredOutputLengthError,
  StructuredOutputRefusalError,
  StructuredOutputSchemaError,
  UserMessage,
} from "../../../src/index.js";
import { ParsedChatResponseMessage, parse } from "../../../src/helpers/structured-outputs/index.js";
import { useLoopbackServer } from "../../support/loopback-server.js";
import { startReplay } from "../../support/replay.js";
import { completionBody, reply, toolCall } from "../../support/chat-replies.js";

const messages = [new UserMessage("Where is the Eiffel Tower?")];
const Place = z.object({ city: z.string(), country: z.string(), rank: z.number().default(1) });
const placeSchema = {
  type: "object",
  properties: { city: { type: "string" }, country: { type: "string" } },
  required: ["city", "country"],
  additionalProperties: false,
};

async function clientFor(
  t: Parameters<typeof useLoopbackServer>[0],
  ...plans: Parameters<typeof useLoopbackServer>[1][]
) {
  const server = await useLoopbackServer(t, ...plans);
  const client = new ChatCompletionsClient(server.url, null, { apiVersion: null, maxRetries: 0 });
  return { server, client };
}

describe("SO1 the request carries the json_schema format", () => {
  test("#13 SO1 a Zod schema is sent as its JSON Schema (input side, no $schema), named by its title or 'response'", async (t) => {
    const answer = reply({ content: '{"city":"Paris","country":"France","rank":1}' });
    const { server, client } = await clientFor(t, answer);
    await parse(client, { messages, responseFormat: Place });
    await parse(client, { messages, responseFormat: Place.meta({ title: "place" }) });
    const formats = server.requests.map((r) => (r.json() as { response_format: unknown }).response_format);
    const schema = {
      type: "object",
      properties: {
        city: { type: "string" },
        country: { type: "string" },
        rank: { type: "number", default: 1 },
      },
      // What the model may write: a key with a default may be left out (strict mode requires it).
      required: ["city", "country"],
    };
    assert.deepEqual(formats[0], { type: "json_schema", json_schema: { name: "response", schema } });
    assert.deepEqual(formats[1], {
      type: "json_schema",
      json_schema: { name: "place", schema: { ...schema, title: "place" } },
    });
  });

  test("SO1 { name, schema, description, strict } with a JSON Schema is sent as given", async (t) => {
    const { server, client } = await clientFor(t, reply({ content: '{"city":"Paris","country":"France"}' }));
    await parse(client, {
      messages,
      responseFormat: { name: "place", schema: placeSchema, description: "A place", strict: true },
    });
    assert.deepEqual((server.requests[0].json() as { response_format: unknown }).response_format, {
      type: "json_schema",
      json_schema: { name: "place", schema: placeSchema, description: "A place", strict: true },
    });
  });

  test("SO1 complete() takes the same schemas: a Zod 4.2+ schema and { name, schema } (Zod or JSON Schema)", async (t) => {
    const { server, client } = await clientFor(t, reply({ content: "{}" }));
    await client.complete({ messages, responseFormat: Place });
    await client.complete({ messages, responseFormat: { name: "place", schema: Place, strict: true } });
    await client.complete({ messages, responseFormat: { name: "place", schema: placeSchema } });
    await client.complete({
      messages,
      responseFormat: JsonSchemaFormat.fromSchema(placeSchema, { name: "p" }),
    });
    const sent = server.requests.map(
      (r) => (r.json() as { response_format: { json_schema: Record<string, unknown> } }).response_format,
    );
    assert.deepEqual(
      sent.map((f) => [f.json_schema.name, f.json_schema.strict]),
      [
        ["response", undefined],
        ["place", true],
        ["place", undefined],
        ["p", undefined],
      ],
    );
    assert.deepEqual(sent[0].json_schema.schema, sent[1].json_schema.schema);
    assert.deepEqual(sent[2].json_schema.schema, placeSchema);
  });

  test("SO1 a bare JSON Schema (no name) or a bad name is refused before any request", async (t) => {
    const { server, client } = await clientFor(t, reply({ content: "{}" }));
    await assert.rejects(client.complete({ messages, responseFormat: placeSchema as never }), {
      name: "TypeError",
      message: /\{ name, schema \}/,
    });
    await assert.rejects(
      parse(client, { messages, responseFormat: { name: "a place", schema: placeSchema } }),
      {
        name: "TypeError",
        message: /JsonSchemaFormat\.name/,
      },
    );
    assert.equal(server.requests.length, 0);
  });

  test("SO1 the recorded Azure OpenAI structured-output exchange: the same request, and parsed distances", async (t) => {
    const replay = await startReplay(t, "test_aoai_chat_completions_with_structured_output");
    const recorded = replay.recording.entries[0].RequestBody as {
      messages: { role: string; content: string }[];
      response_format: {
        json_schema: { name: string; schema: Record<string, unknown>; description: string; strict: boolean };
      };
    };
    const client = new ChatCompletionsClient(replay.endpoint, new AzureKeyCredential("Sanitized"), {
      apiVersion: "yyyy-mm-dd-preview",
    });
    const { name, schema, description, strict } = recorded.response_format.json_schema;
    const answer = await parse<{ distances: { location1: string; location2: string; distance: number }[] }>(
      client,
      {
        messages: recorded.messages,
        responseFormat: { name, schema, description, strict },
      },
    );
    replay.verify();
    assert.deepEqual(answer.choices[0].message.parsed, {
      distances: [{ location1: "Seattle", location2: "Portland", distance: 146 }],
    });
    assert.equal(answer.get("system_fingerprint"), "fp_82ce25c0d4", "the rest of the answer is kept");
  });
});

describe("SO2 parse() returns the answer with message.parsed", () => {
  test("SO2 a Zod schema's output: validated by Zod, defaults applied, unknown keys stripped", async (t) => {
    const { client } = await clientFor(
      t,
      reply({ content: '{"city":"Paris","country":"France","extra":true}' }),
    );
    const answer = await parse(client, { messages, responseFormat: { name: "place", schema: Place } });
    assert.ok(answer instanceof ChatCompletions);
    const message = answer.choices[0].message;
    assert.ok(message instanceof ParsedChatResponseMessage);
    assert.ok(message instanceof ChatResponseMessage);
    assert.deepEqual(message.parsed, { city: "Paris", country: "France", rank: 1 });
    assert.equal(message.content, '{"city":"Paris","country":"France","extra":true}');
  });

  test("SO2 a plain JSON Schema, through a JsonSchemaFormat, a wire format, or json_object", async (t) => {
    const content = '{"city":"Paris","country":"France"}';
    const { client } = await clientFor(t, reply({ content }));
    const formats = [
      { name: "place", schema: placeSchema },
      new JsonSchemaFormat({ name: "place", schema: placeSchema }),
      { type: "json_schema" as const, json_schema: { name: "place", schema: placeSchema } },
      "json_object" as const,
    ];
    for (const responseFormat of formats) {
      const answer = await parse(client, { messages, responseFormat });
      assert.deepEqual(answer.choices[0].message.parsed, { city: "Paris", country: "France" });
    }
  });

  test("SO2 every choice is parsed", async (t) => {
    const body = completionBody({ content: '{"city":"Paris","country":"France"}' });
    const choices = body.choices as Record<string, unknown>[];
    choices.push({
      ...choices[0],
      index: 1,
      message: { role: "assistant", content: '{"city":"Lyon","country":"France"}' },
    });
    const { client } = await clientFor(t, { body });
    const answer = await parse(client, { messages, responseFormat: Place, n: 2 });
    assert.deepEqual(
      answer.choices.map((c) => c.message.parsed?.city),
      ["Paris", "Lyon"],
    );
  });

  test("SO11 a choice that called tools instead of answering parses to null", async (t) => {
    const { client } = await clientFor(t, reply({ toolCalls: [toolCall("call_1", "lookup", { q: "x" })] }));
    const answer = await parse(client, {
      messages,
      responseFormat: Place,
      tools: [{ type: "function", function: { name: "lookup" } }],
    });
    assert.equal(answer.choices[0].message.parsed, null);
    assert.equal(answer.choices[0].message.toolCalls?.[0].function.name, "lookup");
  });

  test("SO2 other options pass through to the request", async (t) => {
    const { server, client } = await clientFor(t, reply({ content: '{"city":"Paris","country":"France"}' }));
    await parse(client, {
      messages,
      responseFormat: Place,
      temperature: 0.1,
      seed: 7,
      headers: { "x-test": "1" },
    });
    const body = server.requests[0].json() as Record<string, unknown>;
    assert.equal(body.temperature, 0.1);
    assert.equal(body.seed, 7);
    assert.equal(server.requests[0].headers["x-test"], "1");
  });
});

describe("SO4–SO7 an answer that cannot be parsed throws an error keeping the raw content", () => {
  const cases = [
    {
      id: "SO4",
      what: "cut by the token limit",
      plan: reply({ content: '{"city":"Par' }, "length"),
      error: StructuredOutputLengthError,
      content: '{"city":"Par',
      message: /token limit.*maxTokens/,
    },
    {
      id: "SO5",
      what: "refused",
      plan: reply({ content: null, refusal: "I can't help with that." }),
      error: StructuredOutputRefusalError,
      content: null,
      message: /refused: "I can't help with that\."/,
    },
    {
      id: "SO6",
      what: "not JSON",
      plan: reply({ content: "Paris, France" }),
      error: StructuredOutputJsonError,
      content: "Paris, France",
      message: /not valid JSON/,
    },
    {
      id: "SO6",
      what: "no content at all",
      plan: reply({ content: null }, "content_filter"),
      error: StructuredOutputJsonError,
      content: null,
      message: /no content to parse \(finish_reason "content_filter"\)/,
    },
    {
      id: "SO7",
      what: "JSON that fails the schema",
      plan: reply({ content: '{"city":42}' }),
      error: StructuredOutputSchemaError,
      content: '{"city":42}',
      message: /does not match the schema "place"/,
    },
  ];
  for (const schemaKind of ["Zod", "JSON Schema"] as const) {
    for (const c of cases) {
      test(`${c.id} ${schemaKind}: an answer ${c.what} throws ${c.error.name}`, async (t) => {
        const { client } = await clientFor(t, c.plan);
        const schema = schemaKind === "Zod" ? Place : placeSchema;
        const error = await parse(client, { messages, responseFormat: { name: "place", schema } }).then(
          () => assert.fail("parse() should have thrown"),
          (e: unknown) => e,
        );
        assert.ok(error instanceof c.error, `got ${String(error)}`);
        assert.ok(error instanceof StructuredOutputError);
        assert.equal(error.name, c.error.name);
        assert.match(error.message, c.message);
        assert.equal(error.content, c.content);
        assert.ok(error.completions instanceof ChatCompletions);
        assert.equal(error.completions.choices[0].message.content, c.content);
        assert.equal(error.choiceIndex, 0);
      });
    }
  }

  test("SO5 the refusal's text is on the error, and a null refusal is no refusal", async (t) => {
    const { client } = await clientFor(
      t,
      reply({ content: null, refusal: "No." }),
      reply({ content: '{"city":"Paris","country":"France"}', refusal: null }),
    );
    const error = await parse(client, { messages, responseFormat: Place }).catch((e: unknown) => e);
    assert.ok(error instanceof StructuredOutputRefusalError);
    assert.equal(error.refusal, "No.");
    const answer = await parse(client, { messages, responseFormat: Place });
    assert.equal(answer.choices[0].message.parsed?.city, "Paris");
  });

  test("SO6 the JSON error's cause is the SyntaxError", async (t) => {
    const { client } = await clientFor(t, reply({ content: "{nope" }));
    const error = await parse(client, { messages, responseFormat: "json_object" }).catch((e: unknown) => e);
    assert.ok(error instanceof StructuredOutputJsonError);
    assert.ok(error.cause instanceof SyntaxError);
  });

  test("SO7 the schema error lists every issue with its path, and keeps the parsed value", async (t) => {
    const content = '{"city":42,"country":["France"],"extra":1}';
    for (const schema of [Place, placeSchema]) {
      const { client } = await clientFor(t, reply({ content }));
      const error = await parse(client, { messages, responseFormat: { name: "place", schema } }).catch(
        (e: unknown) => e,
      );
      assert.ok(error instanceof StructuredOutputSchemaError);
      assert.deepEqual(error.value, JSON.parse(content));
      const paths = error.issues.map((issue) => issue.path.join("."));
      assert.ok(paths.includes("city") && paths.includes("country"), `paths: ${paths.join(", ")}`);
      assert.ok(error.issues.every((issue) => typeof issue.message === "string" && issue.message !== ""));
      assert.match(error.message, /- city: /);
    }
  });

  test("SO7 a schema error in the second choice names that choice", async (t) => {
    const body = completionBody({ content: '{"city":"Paris","country":"France"}' });
    const choices = body.choices as Record<string, unknown>[];
    choices.push({ ...choices[0], index: 1, message: { role: "assistant", content: '{"city":1}' } });
    const { client } = await clientFor(t, { body });
    const error = await parse(client, { messages, responseFormat: Place }).catch((e: unknown) => e);
    assert.ok(error instanceof StructuredOutputSchemaError);
    assert.equal(error.choiceIndex, 1);
    assert.match(error.message, /^Choice 1: /);
    assert.equal(error.content, '{"city":1}');
  });
});

describe("SO9 caller mistakes reject before any request", () => {
  test("SO9 text format, a bad stream flag, a raw body, a missing responseFormat, a schema that is not one", async (t) => {
    const { server, client } = await clientFor(t, reply({ content: "{}" }));
    const bad: [object, RegExp][] = [
      [{ messages, responseFormat: "text" }, /"text" has nothing to parse/],
      [{ messages }, /responseFormat must be/],
      [{ messages, responseFormat: Place, stream: "yes" }, /stream must be true or false/],
      [{ messages, responseFormat: Place, body: {} }, /"body" cannot be set/],
      [{ messages, responseFormat: { name: "x", schema: 42 } }, /responseFormat must be/],
      [{ messages, responseFormat: { name: "x", schema: [] } }, /must be a JSON Schema object/],
    ];
    for (const [options, message] of bad) {
      await assert.rejects(parse(client, options as never), { name: "TypeError", message });
    }
    assert.equal(server.requests.length, 0);
  });

  test("#13 SO14 a Zod schema sends its input side: a .transform() works, and parsed is its output", async (t) => {
    const { server, client } = await clientFor(t, reply({ content: '{"n":"abcd","at":"2024-05-01"}' }));
    const schema = z.object({
      n: z.string().transform((s) => s.length),
      at: z.iso.date().pipe(z.coerce.date()),
    });
    const answer = await parse(client, { messages, responseFormat: schema });
    const parsed: { n: number; at: Date } | null = answer.choices[0].message.parsed;
    assert.deepEqual(parsed, { n: 4, at: new Date("2024-05-01") });
    const sent = server.requests[0].json() as {
      response_format: { json_schema: { schema: { properties: object } } };
    };
    assert.deepEqual(sent.response_format.json_schema.schema.properties, {
      n: { type: "string" },
      at: { type: "string", format: "date", pattern: z.toJSONSchema(z.iso.date()).pattern },
    });
  });

  test("SO9 a Zod schema that JSON Schema cannot say (a Date) is refused before sending, naming the problem", async (t) => {
    const { server, client } = await clientFor(t, reply({ content: "{}" }));
    const schema = z.object({ when: z.date() });
    await assert.rejects(parse(client, { messages, responseFormat: schema }), {
      name: "TypeError",
      message: /cannot be expressed as JSON Schema \(Date cannot be represented/,
    });
    assert.equal(server.requests.length, 0);
  });
});

describe("SO10 client.parse() delegates to parse()", () => {
  test("SO10 client.parse() loads the helper on first use and returns the same as parse(client, ...)", async (t) => {
    const content = '{"city":"Paris","country":"France"}';
    const { client } = await clientFor(t, reply({ content }));
    const viaMethod = await client.parse({ messages, responseFormat: Place });
    const viaFunction = await parse(client, { messages, responseFormat: Place });
    assert.ok(viaMethod.choices[0].message instanceof ParsedChatResponseMessage);
    assert.deepEqual(viaMethod.choices[0].message.parsed, viaFunction.choices[0].message.parsed);
    const error = await client
      .parse({ messages, responseFormat: placeSchema as never })
      .catch((e: unknown) => e);
    assert.ok(error instanceof TypeError);
  });
});
