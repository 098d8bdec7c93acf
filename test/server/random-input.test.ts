// No 500 from input (issue 10, S1.4): random JSON bodies, and well-formed requests carrying random
// JSON Schemas (response formats and tool parameters), get only 2xx or 4xx answers from the real
// engine, and the server still answers /health after each.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { InferenceServer } from "../../src/server/index.js";
import { ask, postJson, startTinyServer } from "../support/tiny-server.js";

const keywords = [
  "type", "properties", "items", "prefixItems", "additionalProperties", "required", "enum", "const",
  "oneOf", "anyOf", "allOf", "not", "$ref", "$defs", "minLength", "maxLength", "minItems", "maxItems",
  "minProperties", "maxProperties", "format", "pattern", "minimum", "description", "__proto__",
]; // prettier-ignore

const typeNames = ["string", "number", "integer", "boolean", "null", "object", "array", "nope"];

/** JSON Schema-like objects: real keywords with values of the right shape or any shape. */
const { schema } = fc.letrec<{ schema: unknown; node: unknown }>((tie) => ({
  node: fc.oneof({ depthSize: "small", withCrossShrink: true }, fc.boolean(), tie("schema")),
  schema: fc.dictionary(
    fc.constantFrom(...keywords),
    fc.oneof(
      { depthSize: "small" },
      tie("node"),
      fc.array(tie("node"), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom("a", "b", "x", "__proto__"), tie("node"), { maxKeys: 3 }),
      fc.constantFrom(...typeNames),
      fc.array(fc.constantFrom(...typeNames), { maxLength: 3 }),
      fc.constantFrom("#/$defs/a", "#", "#/properties/x", "date", "email"),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    { maxKeys: 4 },
  ),
}));

/** A body that is right but for the schema it carries. */
const schemaBody = fc.oneof(
  fc.record({
    messages: fc.constant(ask("hi")),
    max_tokens: fc.constant(2),
    response_format: fc.record({
      type: fc.constant("json_schema"),
      json_schema: fc.record({ name: fc.constant("x"), schema, strict: fc.boolean() }),
    }),
  }),
  fc.record({
    messages: fc.constant(ask("hi")),
    max_tokens: fc.constant(2),
    tool_choice: fc.constantFrom("auto", "required", "none"),
    tools: fc.array(
      fc.record({
        type: fc.constant("function"),
        function: fc.record({ name: fc.constantFrom("a", "b"), parameters: schema, strict: fc.boolean() }),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  }),
);

/** Random bodies: any JSON, and objects with the routes' own keys holding any JSON. */
const randomBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(
    fc.constantFrom(
      "messages", "input", "max_tokens", "temperature", "stream", "stop", "tools", "tool_choice",
      "response_format", "n", "logit_bias", "dimensions", "encoding_format", "seed", "top_p",
      "stream_options", "constructor", "__proto__",
    ),
    fc.jsonValue({ maxDepth: 3 }),
    { maxKeys: 5 },
  ), // prettier-ignore
);

const extraParameters = fc.constantFrom(undefined, "error", "drop", "pass-through", "bogus");

describe("issue 10 random input never gets a 5xx", () => {
  let server: InferenceServer;
  before(async () => {
    server = await startTinyServer({ maxConcurrent: 1 });
  });
  after(() => server.close());

  async function check(path: string, body: unknown, mode: string | undefined) {
    const headers: Record<string, string> = mode === undefined ? {} : { "extra-parameters": mode };
    // Bounded generations: random bodies may be valid ones asking for the whole context.
    if (typeof body === "object" && body !== null && !Array.isArray(body) && path.includes("chat")) {
      const limited = { ...body } as Record<string, unknown>;
      if (typeof limited.max_tokens !== "number" || limited.max_tokens > 4) limited.max_tokens = 4;
      body = limited;
    }
    const response = await postJson(server.fetch, path, body, headers);
    const text = await response.text();
    assert.ok(
      response.status < 500,
      `${path} ${JSON.stringify(body).slice(0, 500)} → ${response.status} ${text.slice(0, 300)}`,
    );
    const health = await server.fetch("/health");
    assert.equal(health.status, 200);
  }

  test("issue 10 S1.4 random JSON bodies into /chat/completions and /embeddings: only 2xx or 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/chat/completions", "/embeddings"),
        randomBody,
        extraParameters,
        check,
      ),
      { numRuns: 300 },
    );
  });

  test("issue 10 S1.4 random JSON Schemas in response_format and tool parameters: only 2xx or 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(schemaBody, (body) => check("/chat/completions", body, undefined)),
      { numRuns: 300 },
    );
  });
});
