// The chat request's options in typed (camelCase) names and their wire names (protocol.md P1.2).
// This table is the one place that maps the two: the client builds request bodies with it, the
// prompt templates map a Prompty file's parameters with it, the server knows its body keys from it.
import type { WireInput } from "./wire-values.js";
import type { ChatRequestMessage } from "./messages.js";
import type { ChatCompletionsToolDefinition, ChatCompletionsNamedToolChoice } from "./tools.js";
import type { ChatCompletionsResponseFormat, JsonSchemaFormat } from "./response-formats.js";
import type { NamedSchema, StandardJSONSchemaV1 } from "./schema-inputs.js";
import type { ChatCompletionsToolChoicePreset } from "./enums.js";

/**
 * `response_format` as the wire carries it: `{ type: "text" }`, `{ type: "json_object" }` or
 * `{ type: "json_schema", json_schema: { name, schema, ... } }` (OpenAI's `ResponseFormat*` types fit).
 * Another `type` (a vendor's) goes through `ChatCompletionsResponseFormat.fromDict({...})`.
 */
export type ResponseFormatWire =
  | { readonly type: "text" }
  | { readonly type: "json_object" }
  | { readonly type: "json_schema"; readonly json_schema: JsonSchemaFormatWire };

/** The `json_schema` of a json_schema `response_format` on the wire. */
export interface JsonSchemaFormatWire {
  /** Letters, digits, `_` and `-`, at most 64 characters. */
  readonly name: string;
  /** A JSON Schema object. */
  readonly schema?: WireInput;
  readonly description?: string | null;
  readonly strict?: boolean | null;
}

/**
 * What `responseFormat` accepts before it becomes the wire `response_format` (P1.4): the two
 * presets, a format model, a wire format (`ResponseFormatWire`), a schema with its name
 * (`{ name, schema }`, the schema being JSON Schema or a Zod 4.2+ schema), or a schema that
 * converts itself to JSON Schema (Zod 4.2+, named by its `title` or `"response"`). Zod 3.25's
 * `zod/v4` and Zod 4.0–4.1 schemas go through `parse()` of `ai-inference/structured`, which
 * converts them. Any other object does not compile: a misspelt `{ nmae, schema }` is caught here.
 */
export type ResponseFormatInput =
  | "text"
  | "json_object"
  | JsonSchemaFormat
  | ChatCompletionsResponseFormat
  | NamedSchema
  | StandardJSONSchemaV1
  | ResponseFormatWire;

/** The chat request body in typed names. No range checks are made: services disagree (P1.2). */
export interface ChatCompletionsOptions {
  /**
   * The conversation so far: models or wire objects (any object type, such as openai's
   * `ChatCompletionMessageParam`), mixed (P1.8). At least one.
   */
  messages: readonly (ChatRequestMessage | WireInput)[];
  frequencyPenalty?: number;
  presencePenalty?: number;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  stop?: readonly string[];
  responseFormat?: ResponseFormatInput;
  /** Models or wire objects (any object type, such as openai's `ChatCompletionTool`). */
  tools?: readonly (ChatCompletionsToolDefinition | WireInput)[];
  /** A preset, a model, or a wire object (any object type). */
  toolChoice?: ChatCompletionsToolChoicePreset | ChatCompletionsNamedToolChoice | WireInput;
  seed?: number;
  model?: string;
  modalities?: readonly string[];
  /** OpenAI-style; outside the Model Inference schema (sent with `extra-parameters: pass-through` there). */
  maxCompletionTokens?: number;
  /** OpenAI-style, for reasoning models: `low`, `medium`, `high`... */
  reasoningEffort?: string;
  /** OpenAI-style: how many choices to generate. */
  n?: number;
  /** OpenAI-style: an end-user id for abuse monitoring. */
  user?: string;
  /** OpenAI-style. */
  logprobs?: boolean;
  /** OpenAI-style. */
  topLogprobs?: number;
  /** OpenAI-style: token id → bias from -100 to 100. */
  logitBias?: Record<string, number>;
  /** OpenAI-style. */
  parallelToolCalls?: boolean;
}

/** Typed name → wire name of every chat body option, `stream` included. */
export const chatOptionWireNames = Object.freeze({
  messages: "messages",
  frequencyPenalty: "frequency_penalty",
  presencePenalty: "presence_penalty",
  temperature: "temperature",
  topP: "top_p",
  maxTokens: "max_tokens",
  stop: "stop",
  responseFormat: "response_format",
  tools: "tools",
  toolChoice: "tool_choice",
  seed: "seed",
  model: "model",
  modalities: "modalities",
  maxCompletionTokens: "max_completion_tokens",
  reasoningEffort: "reasoning_effort",
  n: "n",
  user: "user",
  logprobs: "logprobs",
  topLogprobs: "top_logprobs",
  logitBias: "logit_bias",
  parallelToolCalls: "parallel_tool_calls",
  stream: "stream",
} as const satisfies Record<keyof ChatCompletionsOptions | "stream", string>);

/** The body keys of the Model Inference API's own schema (P1.2). */
export const modelInferenceChatWireKeys: ReadonlySet<string> = new Set([
  "messages",
  "frequency_penalty",
  "presence_penalty",
  "temperature",
  "top_p",
  "max_tokens",
  "stream",
  "stop",
  "response_format",
  "tools",
  "tool_choice",
  "seed",
  "model",
  "modalities",
]);

/** OpenAI-style keys that the Model Inference schema lacks (they need `extra-parameters: pass-through` there). */
export const openAiOnlyChatWireKeys: ReadonlySet<string> = new Set([
  "max_completion_tokens",
  "reasoning_effort",
  "n",
  "user",
  "logprobs",
  "top_logprobs",
  "logit_bias",
  "parallel_tool_calls",
  "stream_options",
]);
