// parse(client, options): a chat completion whose answer must follow a schema, parsed and validated.
import type { ChatCompletionsClient, CompleteOptions } from "../../client/chat-completions-client.js";
import type { JsonSchemaInput, NamedSchema, StandardSchemaV1 } from "../../models/schema-inputs.js";
import type { JsonSchemaFormat } from "../../models/response-formats.js";
import type { ChatCompletions } from "../../models/chat-completions.js";
import { isPlainObject } from "../../models/wire-values.js";
import { parseChoices } from "./parse-choices.js";
import type { ParsedChatCompletions } from "./parsed-message.js";
import { type DeepPartial, ParsedChatCompletionsStream } from "./parsed-stream.js";
import {
  type StructuredResponseFormat,
  type StructuredResponseFormatWire,
  prepareResponseSchema,
} from "./response-schema.js";

/** The options of `parse()`: those of `complete()` with a required `responseFormat`, and no raw body. */
export interface ParseOptions<F = StructuredResponseFormat> extends Omit<
  CompleteOptions,
  "responseFormat" | "stream" | "body"
> {
  /** The schema the answer must follow. */
  responseFormat: F;
  /** Stream the answer: `parse()` then resolves to a `ParsedChatCompletionsStream`. */
  stream?: boolean;
}

/** The options of a streamed `parse()`. */
export interface ParseStreamOptions<F = StructuredResponseFormat> extends ParseOptions<F> {
  stream: true;
}

/** The type of `parsed` for a `responseFormat`: the schema's output type, `unknown` for plain JSON Schema. */
export type ParsedOf<F> = F extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<F>
  : F extends NamedSchema<infer S>
    ? S extends StandardSchemaV1
      ? StandardSchemaV1.InferOutput<S>
      : unknown
    : unknown;

/** The type of a partial answer for a `responseFormat`: the schema's input type, every key optional at every depth. */
export type PartialOf<F> = DeepPartial<
  F extends StandardSchemaV1
    ? StandardSchemaV1.InferInput<F>
    : F extends NamedSchema<infer S>
      ? S extends StandardSchemaV1
        ? StandardSchemaV1.InferInput<S>
        : unknown
      : unknown
>;

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
 *
 * With `stream: true` it resolves, once the response's headers have arrived, to a
 * `ParsedChatCompletionsStream`: its updates, `partialObjects()` (the object as far as it has
 * arrived, each time it changes) and `finalChatCompletions()` (parsed and validated as above).
 * @example
 * const Place = z.object({ city: z.string(), country: z.string() });
 * const answer = await parse(client, { messages, responseFormat: { name: "place", schema: Place } });
 * answer.choices[0].message.parsed; // { city: string; country: string } | null
 */
export function parse<F extends StructuredResponseFormat>(
  client: ChatCompletionsClient,
  options: ParseStreamOptions<F>,
): Promise<ParsedChatCompletionsStream<ParsedOf<F>, PartialOf<F>>>;
export function parse<T>(
  client: ChatCompletionsClient,
  options: ParseStreamOptions<JsonSchemaResponseFormat>,
): Promise<ParsedChatCompletionsStream<T>>;
export function parse<F extends StructuredResponseFormat>(
  client: ChatCompletionsClient,
  options: ParseOptions<F> & { stream?: false },
): Promise<ParsedChatCompletions<ParsedOf<F>>>;
export function parse<T>(
  client: ChatCompletionsClient,
  options: ParseOptions<JsonSchemaResponseFormat> & { stream?: false },
): Promise<ParsedChatCompletions<T>>;
export async function parse(
  client: ChatCompletionsClient,
  options: ParseOptions<unknown>,
): Promise<ParsedChatCompletions<unknown> | ParsedChatCompletionsStream<unknown>> {
  if (!isPlainObject(options)) throw new TypeError("parse() expects an options object.");
  if ((options as Record<string, unknown>).body !== undefined) {
    throw new TypeError('parse() sends its own request: "body" cannot be set.');
  }
  const { stream } = options;
  if (stream !== undefined && typeof stream !== "boolean")
    throw new TypeError("parse(): stream must be true or false.");
  const schema = await prepareResponseSchema(options.responseFormat);
  if (stream === true) {
    const streamed = await client.complete({
      ...options,
      responseFormat: schema.format,
      stream: true,
    } as CompleteOptions & {
      stream: true;
    });
    return new ParsedChatCompletionsStream(streamed, schema);
  }
  const completions = await client.complete({
    ...options,
    responseFormat: schema.format,
  } as CompleteOptions & {
    stream?: false;
  });
  return parseChoices(completions, schema);
}

/**
 * Parses an answer you already have (from `complete()`, a stream's `finalChatCompletions()`, or a
 * tool run) as `parse()` would have: `choices[i].message.parsed`, validated, with the same errors.
 * @example
 * const answer = await client.complete({ messages, responseFormat: Place });
 * const parsed = await parseChatCompletions(answer, Place);
 */
export function parseChatCompletions<F extends StructuredResponseFormat>(
  completions: ChatCompletions,
  responseFormat: F,
): Promise<ParsedChatCompletions<ParsedOf<F>>>;
export function parseChatCompletions<T>(
  completions: ChatCompletions,
  responseFormat: JsonSchemaResponseFormat,
): Promise<ParsedChatCompletions<T>>;
export async function parseChatCompletions(
  completions: ChatCompletions,
  responseFormat: unknown,
): Promise<ParsedChatCompletions<unknown>> {
  const schema = await prepareResponseSchema(responseFormat);
  return parseChoices(completions, schema);
}
