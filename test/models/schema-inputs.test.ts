// SO1 in the model layer: JsonSchemaFormat.fromSchema and the recognition of schema inputs that
// responseFormat accepts (docs/structured-outputs.md).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as z from "zod";
import { JsonSchemaFormat } from "../../src/index.js";
import { isNamedSchema, isStandardSchema } from "../../src/models/schema-inputs.js";

test("SO1 fromSchema keeps a JSON Schema by reference and names it by the option, its title, or 'response'", () => {
  const schema = { type: "object", title: "person" };
  const named = JsonSchemaFormat.fromSchema(schema, { name: "p", description: "d", strict: true });
  assert.equal(named.schema, schema);
  assert.deepEqual(named.asDict(), { name: "p", schema, description: "d", strict: true });
  assert.equal(JsonSchemaFormat.fromSchema(schema).name, "person");
  assert.equal(JsonSchemaFormat.fromSchema({ type: "object", title: "A person" }).name, "response");
  assert.equal(JsonSchemaFormat.fromSchema({ type: "object" }).name, "response");
  assert.deepEqual(
    Object.keys(JsonSchemaFormat.fromSchema({}).asDict()),
    ["name", "schema"],
    "unset options are not sent",
  );
});

test("#13 SO1 fromSchema converts a Zod 4.2+ schema (input side, no $schema) and refuses what is not a schema", () => {
  const format = JsonSchemaFormat.fromSchema(z.object({ a: z.string() }).meta({ title: "thing" }));
  assert.equal(format.name, "thing");
  // The input side: what the model writes (Zod leaves an input object open: it strips extra keys).
  assert.deepEqual(format.schema, {
    type: "object",
    title: "thing",
    properties: { a: { type: "string" } },
    required: ["a"],
  });
  assert.throws(() => JsonSchemaFormat.fromSchema("object" as never), TypeError);
  assert.throws(
    () => JsonSchemaFormat.fromSchema({}, { name: "no spaces allowed" }),
    /JsonSchemaFormat\.name/,
  );
});

test("SO1 schema inputs are told apart from wire formats: ~standard objects and functions, { name, schema } without type", () => {
  const arkLike = Object.assign(() => true, {
    "~standard": { version: 1, vendor: "arktype", validate: () => ({ value: 1 }) },
  });
  assert.ok(isStandardSchema(z.string()));
  assert.ok(isStandardSchema(arkLike));
  assert.ok(!isStandardSchema({ "~standard": {} }));
  assert.ok(!isStandardSchema(null));
  assert.ok(isNamedSchema({ name: "x", schema: {} }));
  assert.ok(!isNamedSchema({ type: "json_schema", name: "x", schema: {} }));
  assert.ok(!isNamedSchema({ name: "x" }));
  assert.ok(!isNamedSchema(new JsonSchemaFormat({ name: "x", schema: {} })));
});
