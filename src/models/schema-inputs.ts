// The schemas that `responseFormat` and the helpers' tool parameters accept: JSON Schema objects,
// named or not, and schemas of validation libraries, recognised by the Standard Schema interface
// (standardschema.dev) that Zod 3.24+, Zod 4, Valibot and ArkType implement, so that no library is
// imported here. Zod 4.2+ also implements Standard JSON Schema, its conversion to JSON Schema.
// Pure functions and types only: the helper subpaths bundle their own copy of this file.
import type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";
import { isPlainObject } from "./wire-values.js";

export type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";

/** A JSON Schema object, as sent in `response_format` and tool `parameters`. */
export type JsonSchemaObject = Record<string, unknown>;

/**
 * A JSON Schema object as inputs take it: any object type, so that an interface-typed schema
 * (`JSONSchema7` of `@types/json-schema`...) is accepted as well as a `JsonSchemaObject`.
 */
export type JsonSchemaInput = object;

/**
 * A schema with its name, as `responseFormat` takes it: a JSON Schema object, or a schema of a
 * validation library (Zod...). Becomes `{type: "json_schema", json_schema: {name, schema, ...}}`.
 */
export interface NamedSchema<S = JsonSchemaInput | StandardJSONSchemaV1> {
  /** Letters, digits, `_` and `-`, at most 64 characters. */
  name: string;
  schema: S;
  description?: string;
  /** Ask the service to follow the schema exactly (OpenAI-style). */
  strict?: boolean;
}

/** True for a `NamedSchema`: a plain object with a string `name`, an object `schema`, and no `type`. */
export function isNamedSchema(value: unknown): value is NamedSchema<unknown> {
  return (
    isPlainObject(value) &&
    typeof value.name === "string" &&
    typeof value.schema === "object" &&
    value.schema !== null &&
    !Object.hasOwn(value, "type")
  );
}

/** The JSON Schema dialect asked of a schema's converter: the newest one, which `$defs` needs. */
const TARGET = "draft-2020-12";

/** True for a schema of a validation library (Zod, Valibot, ArkType...): it has `~standard`. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  // ArkType schemas are functions, the others objects.
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const props = (value as { "~standard"?: unknown })["~standard"];
  return (
    typeof props === "object" &&
    props !== null &&
    typeof (props as { validate?: unknown }).validate === "function"
  );
}

/** True when the schema converts itself to JSON Schema (Standard JSON Schema: Zod 4.2+, ArkType...). */
export function hasJsonSchemaConverter(
  value: StandardSchemaV1,
): value is StandardSchemaV1 & StandardJSONSchemaV1 {
  const converter = (value["~standard"] as { jsonSchema?: { output?: unknown } }).jsonSchema;
  return typeof converter === "object" && converter !== null && typeof converter.output === "function";
}

/** True for a schema built on Zod 4's core (`zod` 4.x, or `zod/v4` of Zod 3.25). */
export function isZod4CoreSchema(value: StandardSchemaV1): boolean {
  return value["~standard"].vendor === "zod" && typeof (value as { _zod?: unknown })._zod === "object";
}

/**
 * The JSON Schema of what the schema accepts as input (what the model must write; a transform
 * applies to it afterwards), converted by the schema itself. The `$schema` key is left out of the
 * result: it is not part of what services expect in `response_format` or tool parameters. Throws
 * `TypeError` for a schema that cannot convert itself.
 */
export function convertStandardSchema(schema: StandardSchemaV1, where: string): JsonSchemaObject {
  if (!hasJsonSchemaConverter(schema)) throw noConverter(schema, where);
  let converted: Record<string, unknown>;
  try {
    converted = schema["~standard"].jsonSchema.input({ target: TARGET });
  } catch (error) {
    throw new TypeError(
      `${where}: the ${schema["~standard"].vendor} schema cannot be expressed as JSON Schema ` +
        `(${error instanceof Error ? error.message : String(error)}).`,
      { cause: error },
    );
  }
  return withoutDialect(converted);
}

/** A JSON Schema without its top-level `$schema` key (the object itself when it has none). */
export function withoutDialect(schema: JsonSchemaObject): JsonSchemaObject {
  if (!Object.hasOwn(schema, "$schema")) return schema;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}

function noConverter(schema: StandardSchemaV1, where: string): TypeError {
  const vendor = schema["~standard"].vendor;
  if (vendor === "zod" && !isZod4CoreSchema(schema)) {
    return new TypeError(
      `${where}: a Zod 3 schema cannot convert itself to JSON Schema, so complete() cannot send it. ` +
        `parse() and runTools() ("ai-inference/structured", "ai-inference/tools") convert it for you; ` +
        `or use Zod 4 ("zod" 4.x, or "zod/v4" of Zod 3.25).`,
    );
  }
  if (isZod4CoreSchema(schema)) {
    return new TypeError(
      `${where}: this Zod version converts schemas to JSON Schema only through z.toJSONSchema() ` +
        `(Zod 4.2 and later do it themselves). Use parse() or runTools() from "ai-inference/structured" ` +
        `and "ai-inference/tools", which call it for you, or pass { name, schema: z.toJSONSchema(schema) }.`,
    );
  }
  return new TypeError(
    `${where}: the ${vendor} schema does not implement Standard JSON Schema (~standard.jsonSchema), ` +
      `so it cannot be sent as JSON Schema; pass { name, schema: <its JSON Schema> } instead.`,
  );
}
