// What parse() sends as `response_format`, and how it checks the answer, from its `responseFormat`.
import type { WireObject } from "../../models/model.js";
import type { ResponseFormatWire } from "../../models/chat-completions-options.js";
import {
  type ChatCompletionsResponseFormat,
  ChatCompletionsResponseFormatJsonObject,
  ChatCompletionsResponseFormatJsonSchema,
  JsonSchemaFormat,
} from "../../models/response-formats.js";
import {
  type JsonSchemaInput,
  type NamedSchema,
  type StandardSchemaV1,
  isNamedSchema,
  isStandardSchema,
} from "../../models/schema-inputs.js";
import { isPlainObject, isSpreadModel, spreadModelError } from "../../models/wire-values.js";
import type { SchemaChecker } from "../schemas/schema-check.js";
import { prepareSchema } from "../schemas/prepare-schema.js";

/** The wire formats `parse()` can check: `{ type: "json_object" }` and `{ type: "json_schema", json_schema }`. */
export type StructuredResponseFormatWire = Exclude<ResponseFormatWire, { readonly type: "text" }>;

/**
 * What `parse()` takes as `responseFormat`: a schema of a validation library (Zod 4, or `zod/v4` of
 * Zod 3.25; named by its `title`, else `"response"`), a schema with its name (`{ name, schema }`,
 * JSON Schema or Zod), a `JsonSchemaFormat` or json_schema format model or wire format, or
 * `"json_object"` (any JSON, nothing validated). Any other object does not compile, so a misspelt
 * `{ nmae, schema }` is caught before it runs.
 */
export type StructuredResponseFormat =
  | StandardSchemaV1
  | NamedSchema<StandardSchemaV1 | JsonSchemaInput>
  | JsonSchemaFormat
  | ChatCompletionsResponseFormat
  | "json_object"
  | StructuredResponseFormatWire;

/** The value `responseFormat` format that the request carries, and the check of the answer. */
export interface ResponseSchema {
  readonly format: JsonSchemaFormat | ChatCompletionsResponseFormat | "json_object" | WireObject;
  /** The format's name, for messages. */
  readonly name: string | undefined;
  /** Absent for json_object: any JSON will do. */
  readonly check: SchemaChecker | undefined;
}

const WHERE = "parse(): responseFormat";

export async function prepareResponseSchema(format: unknown): Promise<ResponseSchema> {
  if (isStandardSchema(format)) {
    const { jsonSchema, check } = await prepareSchema(format, WHERE);
    const built = JsonSchemaFormat.fromSchema(jsonSchema);
    return { format: built, name: built.name, check };
  }
  if (isNamedSchema(format)) {
    const { name, description, strict } = format;
    const { jsonSchema, check } = await prepareSchema(format.schema, `${WHERE}.schema`, { strict });
    return { format: JsonSchemaFormat.fromSchema(jsonSchema, { name, description, strict }), name, check };
  }
  if (format === "json_object" || format instanceof ChatCompletionsResponseFormatJsonObject) {
    return { format, name: undefined, check: undefined };
  }
  if (isPlainObject(format) && format.type === "json_object")
    return { format, name: undefined, check: undefined };
  const spec = jsonSchemaSpec(format);
  if (spec !== undefined) {
    // Sent as given; its schema is prepared only to check the answer (and, strict, itself).
    const { check } = await prepareSchema(spec.schema, `${WHERE} schema`, { strict: spec.strict });
    return { format: format as ResponseSchema["format"], name: spec.name, check };
  }
  if (isSpreadModel(format)) throw spreadModelError(WHERE);
  throw new TypeError(
    `${WHERE} must be a schema (Zod 4, or Zod 3.25), { name, schema } with a JSON Schema or ` +
      `Zod schema, a JsonSchemaFormat, a json_schema format, or "json_object"; "text" has nothing to parse.`,
  );
}

/** The name, schema and strictness of a json_schema format, whichever of its three forms it takes. */
function jsonSchemaSpec(
  format: unknown,
): { name: string | undefined; schema: unknown; strict: boolean | null | undefined } | undefined {
  const spec =
    format instanceof JsonSchemaFormat
      ? format
      : format instanceof ChatCompletionsResponseFormatJsonSchema
        ? format.jsonSchema
        : isPlainObject(format) && format.type === "json_schema" && isPlainObject(format.json_schema)
          ? JsonSchemaFormat.fromDict(format.json_schema)
          : undefined;
  if (spec === undefined) return undefined;
  return {
    name: typeof spec.name === "string" ? spec.name : undefined,
    schema: spec.schema,
    strict: typeof spec.strict === "boolean" ? spec.strict : undefined,
  };
}
