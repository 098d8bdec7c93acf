// Response formats (M8), chosen by `type` when built from wire data (M4.4).
import { type AttributeInput, type Attributes, Model } from "./model.js";
import { defineModel, field } from "./define-model.js";
import { isPlainObject } from "./wire-values.js";
import {
  type JsonSchemaInput,
  type JsonSchemaObject,
  type StandardJSONSchemaV1,
  convertStandardSchema,
  isStandardSchema,
} from "./schema-inputs.js";

const SCHEMA_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** The name of a format built from a schema that has no usable `title`. */
const DEFAULT_SCHEMA_NAME = "response";

/** The other fields of a `JsonSchemaFormat` built by `JsonSchemaFormat.fromSchema`. */
export interface JsonSchemaFormatOptions {
  /** Letters, digits, `_` and `-`, at most 64 characters. @default the schema's `title` when it is a valid name, else `"response"` */
  name?: string;
  description?: string;
  /** Ask the service to follow the schema exactly (OpenAI-style). Left unset by default: not every service accepts it. */
  strict?: boolean;
}

/** A JSON Schema the answer must follow (structured output). */
export class JsonSchemaFormat extends Model {
  /** Letters, digits, `_` and `-`, at most 64 characters. */
  declare name: string;
  declare description: string | null | undefined;
  declare strict: boolean | null | undefined;
  /** Checks `name` before any request is sent; `fromDict` checks nothing (M2.2). */
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    name: field.value(),
    schema: field.value(),
    description: field.value(),
    strict: field.value(),
  }));
  constructor(attributes?: Attributes<JsonSchemaFormat>) {
    super(attributes);
    const name = attributes?.name;
    if (typeof name === "string" && !SCHEMA_NAME.test(name)) {
      throw new TypeError(
        `JsonSchemaFormat.name must be 1 to 64 letters, digits, "_" or "-", got ${JSON.stringify(name)}.`,
      );
    }
  }

  /**
   * A format from a schema: a JSON Schema object (kept by reference), or a schema of a validation
   * library that converts itself to JSON Schema (Standard JSON Schema: Zod 4.2 and later, ArkType).
   * The converted schema describes the schema's output and has no `$schema` key.
   * @example
   * JsonSchemaFormat.fromSchema(z.object({ city: z.string() }), { name: "place" });
   * JsonSchemaFormat.fromSchema({ type: "object", properties: { city: { type: "string" } } }, { name: "place" });
   */
  static fromSchema(
    schema: StandardJSONSchemaV1 | JsonSchemaInput,
    options: JsonSchemaFormatOptions = {},
  ): JsonSchemaFormat {
    let json: JsonSchemaObject;
    if (isStandardSchema(schema)) json = convertStandardSchema(schema, "JsonSchemaFormat.fromSchema");
    else if (isPlainObject(schema)) json = schema as JsonSchemaObject;
    else
      throw new TypeError(
        "JsonSchemaFormat.fromSchema expects a JSON Schema object or a schema of a validation library.",
      );
    const title = json.title;
    const name =
      options.name ?? (typeof title === "string" && SCHEMA_NAME.test(title) ? title : DEFAULT_SCHEMA_NAME);
    return new JsonSchemaFormat({
      name,
      schema: json,
      description: options.description,
      strict: options.strict,
    });
  }
}

// The typed view's fields whose setters take more than their getters return (see chat-completions.ts).
export interface JsonSchemaFormat {
  /** A JSON Schema object, returned by reference: changing it changes the model. */
  get schema(): Record<string, unknown>;
  set schema(value: AttributeInput<Record<string, unknown>> | undefined);
}

/**
 * The format of the answer. Built from wire data it becomes the subclass its `type` names; an
 * unknown or missing `type` gives a `ChatCompletionsResponseFormat` with every key kept.
 */
export class ChatCompletionsResponseFormat extends Model {
  declare type: string;
  constructor(attributes?: Attributes<ChatCompletionsResponseFormat>) {
    super(attributes);
  }
}

/** Plain text answers (`type: "text"`). */
export class ChatCompletionsResponseFormatText extends ChatCompletionsResponseFormat {
  constructor(attributes?: Attributes<ChatCompletionsResponseFormatText>) {
    super(attributes);
  }
}

/** Any valid JSON object (`type: "json_object"`). */
export class ChatCompletionsResponseFormatJsonObject extends ChatCompletionsResponseFormat {
  constructor(attributes?: Attributes<ChatCompletionsResponseFormatJsonObject>) {
    super(attributes);
  }
}

/** JSON that follows a schema (`type: "json_schema"`). */
export class ChatCompletionsResponseFormatJsonSchema extends ChatCompletionsResponseFormat {
  constructor(attributes?: Attributes<ChatCompletionsResponseFormatJsonSchema>) {
    super(attributes);
  }
}

export interface ChatCompletionsResponseFormatJsonSchema {
  get jsonSchema(): JsonSchemaFormat;
  set jsonSchema(value: AttributeInput<JsonSchemaFormat> | undefined);
}

defineModel(ChatCompletionsResponseFormat, { type: field.value() }, { discriminator: "type" });
defineModel(ChatCompletionsResponseFormatText, {}, { fixed: { key: "type", value: "text" } });
defineModel(ChatCompletionsResponseFormatJsonObject, {}, { fixed: { key: "type", value: "json_object" } });
defineModel(
  ChatCompletionsResponseFormatJsonSchema,
  { jsonSchema: field.model(() => JsonSchemaFormat) },
  { fixed: { key: "type", value: "json_schema" } },
);
