// One schema as the helpers use it: the JSON Schema to send, and a checker for what comes back.
import type { JsonSchemaObject, StandardSchemaV1 } from "../../models/schema-inputs.js";
import {
  convertStandardSchema,
  hasJsonSchemaConverter,
  isStandardSchema,
  isZod4CoreSchema,
} from "../../models/schema-inputs.js";
import { isPlainObject } from "../../models/wire-values.js";
import { compileJsonSchema } from "./json-schema-validator.js";
import type { SchemaChecker } from "./schema-check.js";
import { standardSchemaChecker } from "./standard-schema-validator.js";
import { zodToJsonSchema } from "./zod-json-schema.js";

/** A schema ready for a request and for checking the answer. */
export interface PreparedSchema {
  /** The JSON Schema sent on the wire. */
  readonly jsonSchema: JsonSchemaObject;
  /** Checks a parsed JSON value against the schema. */
  readonly check: SchemaChecker;
}

/**
 * Prepares a JSON Schema object or a schema of a validation library (Zod, Valibot, ArkType...).
 * Library schemas validate themselves; JSON Schema goes through @cfworker/json-schema, loaded here,
 * before any request, so that a problem shows before anything is sent.
 */
export async function prepareSchema(schema: unknown, where: string): Promise<PreparedSchema> {
  if (isStandardSchema(schema)) {
    return { jsonSchema: await toJsonSchema(schema, where), check: standardSchemaChecker(schema) };
  }
  if (isPlainObject(schema)) return { jsonSchema: schema, check: await compileJsonSchema(schema) };
  throw new TypeError(
    `${where} must be a JSON Schema object or a schema of a validation library such as Zod.`,
  );
}

async function toJsonSchema(schema: StandardSchemaV1, where: string): Promise<JsonSchemaObject> {
  if (!hasJsonSchemaConverter(schema) && isZod4CoreSchema(schema)) return zodToJsonSchema(schema, where);
  return convertStandardSchema(schema, where);
}
