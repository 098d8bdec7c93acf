// SO8: which schemas are supported, and what is said about the others. Zod 4.2+ converts itself
// (Standard JSON Schema); Zod 3.25's `zod/v4` (and Zod 4.0–4.1) go through `toJSONSchema` of the
// app's own "zod/v4/core". This file's process resolves "zod" to the Zod 3.25 install (the `zod3`
// dev dependency) with a module hook, as an app that has Zod 3.25 would.
import { register } from "node:module";
import { test } from "node:test";
import assert from "node:assert/strict";
import * as z3 from "zod3";
import * as z from "zod3/v4";
import { ChatCompletionsClient, UserMessage } from "../../../src/index.js";
import { parse } from "../../../src/helpers/structured-outputs/index.js";
import { runTools } from "../../../src/helpers/tools/index.js";
import { useLoopbackServer } from "../../support/loopback-server.js";
import { reply, toolCall } from "../../support/chat-replies.js";

register(
  "data:text/javascript," +
    encodeURIComponent(
      `export async function resolve(specifier, context, next) {
        if (specifier === "zod" || specifier.startsWith("zod/")) return next("zod3" + specifier.slice(3), context);
        return next(specifier, context);
      }`,
    ),
  import.meta.url,
);

const messages = [new UserMessage("Where?")];
const Place = z.object({ city: z.string(), visits: z.number().default(0) });

async function clientFor(
  t: Parameters<typeof useLoopbackServer>[0],
  ...plans: Parameters<typeof useLoopbackServer>[1][]
) {
  const server = await useLoopbackServer(t, ...plans);
  return { server, client: new ChatCompletionsClient(server.url, null, { apiVersion: null, maxRetries: 0 }) };
}

test("SO8 Zod 3.25's zod/v4 schemas have no converter of their own (and this process resolves zod to 3.25)", async () => {
  const specifier = "zod/v4/core";
  assert.equal(await import(specifier), await import("zod3/v4/core"));
  assert.equal((Place["~standard"] as { jsonSchema?: unknown }).jsonSchema, undefined);
  assert.match(String(z3.z.string()["~standard"].vendor), /zod/);
});

test("SO8 parse() converts a Zod 3.25 zod/v4 schema through zod/v4/core and validates with it", async (t) => {
  const { server, client } = await clientFor(t, reply({ content: '{"city":"Paris"}' }));
  const answer = await parse(client, { messages, responseFormat: { name: "place", schema: Place } });
  assert.deepEqual(answer.choices[0].message.parsed, { city: "Paris", visits: 0 });
  const sent = (server.requests[0].json() as { response_format: { json_schema: { schema: unknown } } })
    .response_format;
  // #13: the input side, what the model writes (a key with a default is optional there).
  const { $schema: _dialect, ...expected } = z.toJSONSchema(Place, { target: "draft-2020-12", io: "input" });
  assert.deepEqual(sent.json_schema.schema, expected);
  assert.deepEqual((sent.json_schema.schema as { required: unknown }).required, ["city"]);
});

test("SO8 runTools() takes Zod 3.25 zod/v4 parameters the same way", async (t) => {
  const { server, client } = await clientFor(
    t,
    reply({ toolCalls: [toolCall("c1", "visit", { city: "Oslo" })] }),
    reply({ content: "done" }),
  );
  const seen: unknown[] = [];
  const result = await runTools(client, {
    messages,
    tools: [{ name: "visit", parameters: Place, execute: (args) => void seen.push(args) }],
  });
  assert.deepEqual(seen, [{ city: "Oslo", visits: 0 }]);
  assert.equal(result.content, "done");
  const tools = (
    server.requests[0].json() as { tools: { function: { parameters: { properties: object } } }[] }
  ).tools;
  assert.deepEqual(Object.keys(tools[0].function.parameters.properties), ["city", "visits"]);
});

test("SO8 complete() cannot convert a Zod 3.25 schema synchronously and says what to use instead", async (t) => {
  const { server, client } = await clientFor(t, reply({ content: "{}" }));
  await assert.rejects(client.complete({ messages, responseFormat: Place as never }), {
    name: "TypeError",
    message: /Zod 4\.2 and later do it themselves.*parse\(\).*z\.toJSONSchema/,
  });
  assert.equal(server.requests.length, 0);
});

test('#13 SO8 Zod 3\'s classic API (import { z } from "zod" on 3.25) works: input side sent, validated by Zod 3', async (t) => {
  const { server, client } = await clientFor(
    t,
    reply({ content: '{"city":"paris","when":"2024-05-01"}' }),
    reply({ toolCalls: [toolCall("c1", "visit", { city: "oslo" })] }),
    reply({ content: "done" }),
  );
  const { z: z3z } = z3;
  const Visit = z3z.object({
    city: z3z.string().transform((city) => city.toUpperCase()),
    when: z3z.string().pipe(z3z.coerce.date()).optional(),
    nights: z3z.number().int().default(1),
  });
  const answer = await parse(client, { messages, responseFormat: { name: "visit", schema: Visit } });
  assert.deepEqual(answer.choices[0].message.parsed, {
    city: "PARIS",
    when: new Date("2024-05-01"),
    nights: 1,
  });
  const sent = (
    server.requests[0].json() as { response_format: { json_schema: { schema: Record<string, unknown> } } }
  ).response_format.json_schema.schema;
  assert.equal(sent.$schema, undefined);
  assert.equal(sent.type, "object");
  assert.deepEqual(sent.required, ["city"]);
  assert.deepEqual((sent.properties as Record<string, unknown>).city, { type: "string" });
  const seen: unknown[] = [];
  await runTools(client, {
    messages,
    tools: [{ name: "visit", parameters: Visit, execute: (args) => void seen.push(args) }],
  });
  assert.deepEqual(seen, [{ city: "OSLO", nights: 1 }]);
  // complete() converts synchronously, so it cannot, and says who can.
  await assert.rejects(
    client.complete({ messages, responseFormat: Visit as never }),
    /parse\(\) and runTools\(\)/,
  );
  assert.equal(server.requests.length, 3);
});

test("SO8 any Standard Schema library works when it implements Standard JSON Schema, and is refused clearly when not", async (t) => {
  const { server, client } = await clientFor(t, reply({ content: '{"n":2}' }));
  const validate = (value: unknown) =>
    typeof (value as { n?: unknown }).n === "number"
      ? { value: { n: (value as { n: number }).n * 10 } }
      : { issues: [{ message: "n must be a number", path: ["n"] }] };
  const withJsonSchema = {
    "~standard": {
      version: 1,
      vendor: "handmade",
      validate,
      jsonSchema: {
        // #13: the input side is what is sent.
        input: () => ({ type: "object", properties: { n: { type: "number" } } }),
        output: () => ({ type: "object", properties: { n: { type: "string" } } }),
      },
    },
  };
  const answer = await parse(client, { messages, responseFormat: withJsonSchema as never });
  assert.deepEqual(answer.choices[0].message.parsed, { n: 20 });
  assert.deepEqual((server.requests[0].json() as { response_format: unknown }).response_format, {
    type: "json_schema",
    json_schema: { name: "response", schema: { type: "object", properties: { n: { type: "number" } } } },
  });
  const without = { "~standard": { version: 1, vendor: "valibot", validate } };
  await assert.rejects(parse(client, { messages, responseFormat: without as never }), {
    name: "TypeError",
    message: /valibot schema does not implement Standard JSON Schema/,
  });
});
