// parse(client, options): a chat completion whose answer must follow a schema, parsed and validated.
import type { ChatCompletionsClient, CompleteOptions } from "../../client/chat-completions-client.js";
import type { JsonSchemaInput, NamedSchema, StandardSchemaV1 } from "../../models/schema-inputs.js";
import type { JsonSchemaFormat } from "../../models/response-formats.js";
import { isPlainObject } from "../../models/wire-values.js";
import { parseChoices } from "./parse-choices.js";
import type { ParsedChatCompletions } from "./parsed-message.js";
import {
  type StructuredResponseFormat,
  type StructuredResponseFormatWire,
  prepareResponseSchema,
} from "./response-schema.js";

/** The options of `parse()`: those of `complete()` with a required `responseFormat`, and no stream or raw body. */
export interface ParseOptions<F = StructuredResponseFormat> extends Omit<
  CompleteOptions,
  "responseFormat" | "stream" | "body"
> {
  /** The schema the answer must follow. */
  responseFormat: F;
}

/** The type of `parsed` for a `responseFormat`: the schema's output type, `unknown` for plain JSON Schema. */
export type ParsedOf<F> = F extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<F>
  : F extends NamedSchema<infer S>
    ? S extends StandardSchemaV1
      ? StandardSchemaV1.InferOutput<S>
      : unknown
    : unknown;

/** A `responseFormat` that is plain JSON Schema, whose parsed type the caller names: `parse<Person>(...)`. */
export type JsonSchemaResponseFormat =
  NamedSchema<JsonSchemaInput> | JsonSchemaFormat | "json_object" | StructuredResponseFormatWire;

/**
 * Sends a chat completion whose answer must follow a schema, and returns it with
 * `choices[i].message.parsed`: the content parsed as JSON and validated (by the schema's own
 * library for Zod, by @cfworker/json-schema for JSON Schema), typed from the schema.
 *
 * Throws, keeping the raw content and the whole answer: `StructuredOutputRefusalError` (the model
 * refused), `StructuredOutputLengthError` (cut at the token limit), `StructuredOutputJsonError`
 * (not JSON, or no content), `StructuredOutputSchemaError` (JSON that fails the schema, with the
 * issues). A choice that called tools instead of answering parses to `null`.
 * @example
 * const Place = z.object({ city: z.string(), country: z.string() });
 * const answer = await parse(client, { messages, responseFormat: { name: "place", schema: Place } });
 * answer.choices[0].message.parsed; // { city: string; country: string } | null
 */
export function parse<F extends StructuredResponseFormat>(
  client: ChatCompletionsClient,
  options: ParseOptions<F>,
): Promise<ParsedChatCompletions<ParsedOf<F>>>;
export function parse<T>(
  client: ChatCompletionsClient,
  options: ParseOptions<JsonSchemaResponseFormat>,
): Promise<ParsedChatCompletions<T>>;
export async function parse(
  client: ChatCompletionsClient,
  options: ParseOptions<unknown>,
): Promise<ParsedChatCompletions<unknown>> {
  if (!isPlainObject(options)) throw new TypeError("parse() expects an options object.");
  for (const key of ["stream", "body"] as const) {
    if ((options as Record<string, unknown>)[key] !== undefined) {
      throw new TypeError(`parse() sends its own request: "${key}" cannot be set (it reads a whole answer).`);
    }
  }
  const schema = await prepareResponseSchema(options.responseFormat);
  const completions = await client.complete({
    ...options,
    responseFormat: schema.format,
  } as CompleteOptions & {
    stream?: false;
  });
  return parseChoices(completions, schema);
}
