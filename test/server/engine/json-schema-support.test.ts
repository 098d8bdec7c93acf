import { test } from "node:test";
import assert from "node:assert/strict";
import { toGrammarSchema } from "../../../src/server/engine/json-schema-support.js";

test("S2.2 an enforceable schema passes through, annotations dropped, anyOf as oneOf", () => {
  const { schema, unenforceable } = toGrammarSchema({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "Person",
    type: "object",
    description: "someone",
    properties: {
      name: { type: "string", maxLength: 10, examples: ["Ann"] },
      kind: { anyOf: [{ type: "string" }, { type: "null" }] },
      when: { type: "string", format: "date" },
      tags: { type: "array", items: { enum: ["a", "b"] }, minItems: 1 },
      ref: { $ref: "#/$defs/x" },
    },
    $defs: { x: { const: 3 } },
    required: ["name"],
    additionalProperties: false,
  });
  assert.deepEqual(unenforceable, []);
  assert.deepEqual(schema, {
    type: "object",
    properties: {
      name: { type: "string", maxLength: 10 },
      kind: { oneOf: [{ type: "string" }, { type: "null" }] },
      when: { type: "string", format: "date" },
      tags: { type: "array", items: { enum: ["a", "b"] }, minItems: 1 },
      ref: { $ref: "#/$defs/x" },
    },
    $defs: { x: { const: 3 } },
    required: ["name"],
    additionalProperties: false,
  });
});

test("S2.2 keywords the grammar can't enforce are listed with their path and dropped", () => {
  const { schema, unenforceable } = toGrammarSchema({
    type: "object",
    properties: {
      email: { type: "string", format: "email" },
      code: { type: "string", pattern: "^[A-Z]+$" },
      n: { type: "number", minimum: 0, multipleOf: 2 },
      list: { type: "array", items: { type: "integer", exclusiveMaximum: 9 }, uniqueItems: true },
      pattern: { type: "string" },
    },
    allOf: [{}],
  });
  assert.deepEqual(
    unenforceable.map((u) => `${u.keyword}@${u.path}`),
    [
      "format@properties.email.format",
      "pattern@properties.code.pattern",
      "minimum@properties.n.minimum",
      "multipleOf@properties.n.multipleOf",
      "exclusiveMaximum@properties.list.items.exclusiveMaximum",
      "uniqueItems@properties.list.uniqueItems",
      "allOf@allOf",
    ],
  );
  assert.deepEqual(
    (schema.properties as Record<string, unknown>).pattern,
    { type: "string" },
    "a property named pattern is data",
  );
  assert.deepEqual((schema.properties as Record<string, unknown>).code, { type: "string" });
});

test("S2.2 a $ref outside $defs and an unknown type are unenforceable", () => {
  const { unenforceable } = toGrammarSchema({
    properties: { a: { $ref: "#/definitions/a" }, b: { type: "date" } },
  });
  assert.deepEqual(
    unenforceable.map((u) => u.keyword),
    ["$ref", "type"],
  );
});

test("Q3 a property named __proto__ stays a property", () => {
  const input = JSON.parse('{"type": "object", "properties": {"__proto__": {"type": "string"}}}');
  const { schema } = toGrammarSchema(input);
  const properties = schema.properties as Record<string, unknown>;
  assert.deepEqual(Object.keys(properties), ["__proto__"]);
  assert.equal(Object.getPrototypeOf(properties), Object.prototype);
});
