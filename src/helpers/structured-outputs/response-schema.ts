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
    const { jsonSchema, check } = await prepareSchema(format.schema, `${WHERE}.schema`);
    const { name, description, strict } = format;
    return { format: JsonSchemaFormat.fromSchema(jsonSchema, { name, description, strict }), name, check };
  }
  if (format instanceof JsonSchemaFormat) return fromJsonSchemaFormat(format, format);
  if (format instanceof ChatCompletionsResponseFormatJsonSchema)
    return fromJsonSchemaFormat(format, format.jsonSchema);
  if (format === "json_object" || format instanceof ChatCompletionsResponseFormatJsonObject) {
    return { format, name: undefined, check: undefined };
  }
  if (isPlainObject(format) && format.type === "json_object")
    return { format, name: undefined, check: undefined };
  if (isPlainObject(format) && format.type === "json_schema" && isPlainObject(format.json_schema)) {
    const spec = format.json_schema;
    const { check } = await prepareSchema(spec.schema, `${WHERE}.json_schema.schema`);
    return { format, name: typeof spec.name === "string" ? spec.name : undefined, check };
  }
  if (isSpreadModel(format)) throw spreadModelError(WHERE);
  throw new TypeError(
    `${WHERE} must be a schema (Zod 4, or zod/v4 of Zod 3.25), { name, schema } with a JSON Schema or ` +
      `Zod schema, a JsonSchemaFormat, a json_schema format, or "json_object"; "text" has nothing to parse.`,
  );
}

async function fromJsonSchemaFormat(
  format: JsonSchemaFormat | ChatCompletionsResponseFormatJsonSchema,
  spec: JsonSchemaFormat | undefined,
): Promise<ResponseSchema> {
  const { check } = await prepareSchema(spec?.schema, `${WHERE} schema`);
  return { format, name: spec?.name, check };
}
