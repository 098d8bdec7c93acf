// Open enums (M7): a frozen object of the known values plus a string type that accepts any other
// string, because services send values outside every list ("max_tokens", "chat-completion"...).
// `(string & {})` keeps editor completion for the known members while allowing any string.

/** The role of a chat message's author. */
export const ChatRole = /* @__PURE__ */ Object.freeze({
  System: "system",
  User: "user",
  Assistant: "assistant",
  Tool: "tool",
  Developer: "developer",
} as const);
export type ChatRole = (typeof ChatRole)[keyof typeof ChatRole] | (string & {});

/** Why a choice stopped generating. */
export const CompletionsFinishReason = /* @__PURE__ */ Object.freeze({
  Stopped: "stop",
  TokenLimitReached: "length",
  ContentFiltered: "content_filter",
  ToolCalls: "tool_calls",
} as const);
export type CompletionsFinishReason =
  (typeof CompletionsFinishReason)[keyof typeof CompletionsFinishReason] | (string & {});

/** How closely a model looks at an image. */
export const ImageDetailLevel = /* @__PURE__ */ Object.freeze({
  Auto: "auto",
  Low: "low",
  High: "high",
} as const);
export type ImageDetailLevel = (typeof ImageDetailLevel)[keyof typeof ImageDetailLevel] | (string & {});

/** Audio encodings of audio content. */
export const AudioContentFormat = /* @__PURE__ */ Object.freeze({ Wav: "wav", Mp3: "mp3" } as const);
export type AudioContentFormat = (typeof AudioContentFormat)[keyof typeof AudioContentFormat] | (string & {});

/** Tool choices that name no particular function. */
export const ChatCompletionsToolChoicePreset = /* @__PURE__ */ Object.freeze({
  Auto: "auto",
  None: "none",
  Required: "required",
} as const);
export type ChatCompletionsToolChoicePreset =
  (typeof ChatCompletionsToolChoicePreset)[keyof typeof ChatCompletionsToolChoicePreset] | (string & {});

/** Encodings an embedding may be returned in. */
export const EmbeddingEncodingFormat = /* @__PURE__ */ Object.freeze({
  Base64: "base64",
  Binary: "binary",
  Float: "float",
  Int8: "int8",
  UBinary: "ubinary",
  UInt8: "uint8",
} as const);
export type EmbeddingEncodingFormat =
  (typeof EmbeddingEncodingFormat)[keyof typeof EmbeddingEncodingFormat] | (string & {});

/** What the embedded input is used for. */
export const EmbeddingInputType = /* @__PURE__ */ Object.freeze({
  Text: "text",
  Query: "query",
  Document: "document",
} as const);
export type EmbeddingInputType = (typeof EmbeddingInputType)[keyof typeof EmbeddingInputType] | (string & {});

/** The kind of model behind an endpoint (services also send "chat-completion", "embedding"). */
export const ModelType = /* @__PURE__ */ Object.freeze({
  Embeddings: "embeddings",
  ImageGeneration: "image_generation",
  TextGeneration: "text_generation",
  ImageEmbeddings: "image_embeddings",
  AudioGeneration: "audio_generation",
  ChatCompletion: "chat_completion",
} as const);
export type ModelType = (typeof ModelType)[keyof typeof ModelType] | (string & {});

/** What the service does with body keys outside its schema (the `extra-parameters` header). */
export const ExtraParameters = /* @__PURE__ */ Object.freeze({
  Error: "error",
  Drop: "drop",
  PassThrough: "pass-through",
} as const);
export type ExtraParameters = (typeof ExtraParameters)[keyof typeof ExtraParameters] | (string & {});
