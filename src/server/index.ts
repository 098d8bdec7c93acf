/**
 * ai-inference/server: the local server (S1), its engines (S2) and the tiny test model (S3).
 * A separate entry, so that importing the SDK never loads Hono or node-llama-cpp.
 * @module
 */
export { createServer, type InferenceServer, type ListenOptions, type CloseOptions } from "./app.js";
export type { ServerOptions } from "./server-options.js";
export { closeOnSignals, type CloseOnSignalsOptions, type Closable, type SignalSource } from "./shutdown.js";
export { HttpError, type HttpErrorCode, type HttpErrorInit } from "./http-error.js";
export type { RequestLogEntry, RequestLogWriter } from "./middleware/request-log.js";
export type { FetchFunction } from "./in-process-fetch.js";
export type {
  Engine,
  EngineChatRequest,
  EngineChatResult,
  EngineEmbeddingsRequest,
  EngineEmbeddingsResult,
  EngineFinishReason,
  EngineMessage,
  EngineModelInfo,
  EngineResponseFormat,
  EngineRunOptions,
  EngineTool,
  EngineToolCall,
  EngineToolChoice,
  EngineUsage,
  PreparedChat,
} from "./engine/engine.js";
export { createLlamaEngine, type LlamaEngineOptions } from "./engine/llama-engine.js";
export type { WireEngine, WireModel, WireReply, WireRequest } from "./engine/wire-engine.js";
export { createScriptedEngine, type ScriptedEngine } from "./engine/scripted-engine.js";
export {
  parseScriptedReplies,
  type ScriptedReply,
  type ScriptedToolCall,
} from "./engine/scripted-replies.js";
export type { ChatWrapperOption } from "./engine/chat-wrappers.js";
export { missingNodeLlamaCppMessage, nodeLlamaCppVersion } from "./engine/load-node-llama-cpp.js";
export { defaultThreadCount } from "./engine/threads.js";
export {
  buildTinyModel,
  writeTinyModel,
  tinyModelDefaults,
  chatWrapperMetadataKey,
  tinyToolChatWrapperName,
  type TinyModelOptions,
  type TinyModelInfo,
} from "./engine/tiny-model.js";
