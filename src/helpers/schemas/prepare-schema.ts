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
import { checkStrictSchema, toStrictSchema } from "./strict-schema.js";
import { isZod3Schema, zod3ToJsonSchema, zodToJsonSchema } from "./zod-json-schema.js";

/** A schema ready for a request and for checking the answer. */
export interface PreparedSchema {
  /** The JSON Schema sent on the wire. */
  readonly jsonSchema: JsonSchemaObject;
  /** Checks a parsed JSON value against the schema. */
  readonly check: SchemaChecker;
}

/** How the schema is sent. */
export interface PrepareSchemaOptions {
  /**
   * Strict mode (OpenAI, Azure OpenAI): a library's schema is made to fit it, a JSON Schema is
   * checked against it; what it cannot express is a `TypeError` here, before any request.
   */
  readonly strict?: boolean | null;
}

/**
 * Prepares a JSON Schema object or a schema of a validation library (Zod, Valibot, ArkType...).
 * Library schemas send their **input** side (what the model must write: a `.transform()` applies
 * afterwards, when the answer is checked) and validate themselves; JSON Schema goes through
 * @cfworker/json-schema, loaded here, before any request, so that a problem shows before anything
 * is sent.
 */
export async function prepareSchema(
  schema: unknown,
  where: string,
  options: PrepareSchemaOptions = {},
): Promise<PreparedSchema> {
  if (isStandardSchema(schema)) {
    const converted = await toJsonSchema(schema, where);
    const check = standardSchemaChecker(schema);
    if (options.strict !== true) return { jsonSchema: converted, check };
    const strict = toStrictSchema(converted, where);
    const restore = strict.restoreOptional;
    return {
      jsonSchema: strict.jsonSchema,
      check: restore === undefined ? check : (value) => check(restore(value)),
    };
  }
  if (isPlainObject(schema)) {
    if (options.strict === true) checkStrictSchema(schema, where);
    return { jsonSchema: schema, check: await compileJsonSchema(schema) };
  }
  throw new TypeError(
    `${where} must be a JSON Schema object or a schema of a validation library such as Zod.`,
  );
}

async function toJsonSchema(schema: StandardSchemaV1, where: string): Promise<JsonSchemaObject> {
  if (hasJsonSchemaConverter(schema)) return convertStandardSchema(schema, where);
  if (isZod4CoreSchema(schema)) return zodToJsonSchema(schema, where);
  if (isZod3Schema(schema)) return zod3ToJsonSchema(schema, where);
  return convertStandardSchema(schema, where);
}
