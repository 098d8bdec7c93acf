/**
 * ai-inference/structured: answers that follow a schema (Zod or JSON Schema), parsed and validated.
 * Its own subpath, so that the SDK entry never loads a validator; `client.parse()` loads it on first use.
 * @module
 */
export {
  parse,
  parseChatCompletions,
  type ParseOptions,
  type ParseStreamOptions,
  type ParsedOf,
  type PartialOf,
  type JsonSchemaResponseFormat,
} from "./parse.js";
export { ParsedChatCompletionsStream, type DeepPartial } from "./parsed-stream.js";
export {
  ParsedChatResponseMessage,
  type ParsedChatChoice,
  type ParsedChatCompletions,
} from "./parsed-message.js";
export type { StructuredResponseFormat, StructuredResponseFormatWire } from "./response-schema.js";
export {
  StructuredOutputError,
  StructuredOutputJsonError,
  StructuredOutputLengthError,
  StructuredOutputRefusalError,
  StructuredOutputSchemaError,
  isStructuredOutputError,
  isStructuredOutputJsonError,
  isStructuredOutputLengthError,
  isStructuredOutputRefusalError,
  isStructuredOutputSchemaError,
  type SchemaIssue,
} from "../../errors.js";
