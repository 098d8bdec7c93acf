// The names this tracing writes, from the OpenTelemetry semantic conventions for generative AI at
// the version pinned below (docs/tracing.md lists each with its meaning). A test checks every
// `gen_ai.*`, `server.*` and `error.*` name here against `@opentelemetry/semantic-conventions` of
// that version. Names under `ai_inference.` are this package's own.

/** The version of the semantic conventions followed. */
export const SEMCONV_VERSION = "1.41.0";
export const SCHEMA_URL = `https://opentelemetry.io/schemas/${SEMCONV_VERSION}`;

export const ATTR = Object.freeze({
  operationName: "gen_ai.operation.name",
  providerName: "gen_ai.provider.name",
  requestModel: "gen_ai.request.model",
  requestTemperature: "gen_ai.request.temperature",
  requestTopP: "gen_ai.request.top_p",
  requestTopK: "gen_ai.request.top_k",
  requestMaxTokens: "gen_ai.request.max_tokens",
  requestSeed: "gen_ai.request.seed",
  requestStopSequences: "gen_ai.request.stop_sequences",
  requestFrequencyPenalty: "gen_ai.request.frequency_penalty",
  requestPresencePenalty: "gen_ai.request.presence_penalty",
  requestChoiceCount: "gen_ai.request.choice.count",
  requestStream: "gen_ai.request.stream",
  requestEncodingFormats: "gen_ai.request.encoding_formats",
  embeddingsDimensionCount: "gen_ai.embeddings.dimension.count",
  outputType: "gen_ai.output.type",
  responseId: "gen_ai.response.id",
  responseModel: "gen_ai.response.model",
  responseFinishReasons: "gen_ai.response.finish_reasons",
  responseTimeToFirstChunk: "gen_ai.response.time_to_first_chunk",
  usageInputTokens: "gen_ai.usage.input_tokens",
  usageOutputTokens: "gen_ai.usage.output_tokens",
  usageCacheReadInputTokens: "gen_ai.usage.cache_read.input_tokens",
  usageReasoningOutputTokens: "gen_ai.usage.reasoning.output_tokens",
  inputMessages: "gen_ai.input.messages",
  outputMessages: "gen_ai.output.messages",
  toolDefinitions: "gen_ai.tool.definitions",
  toolName: "gen_ai.tool.name",
  toolType: "gen_ai.tool.type",
  toolCallId: "gen_ai.tool.call.id",
  toolCallArguments: "gen_ai.tool.call.arguments",
  toolCallResult: "gen_ai.tool.call.result",
  serverAddress: "server.address",
  serverPort: "server.port",
  errorType: "error.type",
  // This package's own (the conventions have no name for them).
  streamChunkCount: "ai_inference.stream.chunk_count",
  streamEnd: "ai_inference.stream.end",
  /** The router deployment of the call's last attempt (`ai-inference/router`). */
  routerDeployment: "ai_inference.router.deployment",
});

/** `gen_ai.provider.name` per endpoint kind (docs/tracing.md explains `github` and `openai`). */
export const PROVIDER_BY_KIND = Object.freeze({
  "model-inference": "azure.ai.inference",
  "azure-openai": "azure.ai.openai",
  "github-models": "github",
  openai: "openai",
  "openai-compatible": "openai",
});

/** The environment variable that switches content recording on when no option says (`true`, any case). */
export const CONTENT_RECORDING_ENV = "AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED";
