// The client layer's public surface (P1–P4, P6, P7). Internals (pipeline, request building, the
// retry policy, transports) stay out on purpose.
export {
  ChatCompletionsClient,
  type CompleteOptions,
  type CompleteRawOptions,
} from "./chat-completions-client.js";
export { EmbeddingsClient, type EmbedOptions, type EmbedRawOptions } from "./embeddings-client.js";
export { ImageEmbeddingsClient, type ImageEmbedOptions } from "./image-embeddings-client.js";
export { loadClient, type LoadClientOptions, type LoadedClient } from "./load-client.js";
export {
  AzureKeyCredential,
  type AccessToken,
  type AuthHeaders,
  type Credential,
  type GetTokenOptions,
  type KeyCredential,
  type TokenCredential,
} from "./credentials.js";
export type {
  ChatCompletionsClientOptions,
  ClientOptions,
  EmbeddingsClientOptions,
  FetchFunction,
  HeadersOption,
  Logger,
  RequestOptions,
  ResponseInfo,
} from "./options.js";
export type { EndpointKind } from "./endpoint-kind.js";
export {
  registerInstrumentation,
  type AttemptEnd,
  type AttemptStart,
  type CallEnd,
  type CallObserver,
  type ClientInstrumentation,
  type InstrumentedCall,
  type TracingOptions,
} from "./instrumentation.js";
export type { RawBody } from "./request.js";
