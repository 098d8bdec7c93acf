/**
 * ai-inference: the SDK entry. Re-exports only; internals (src/internal) stay out on purpose.
 * @module
 */
export * from "./models/index.js";
export * from "./errors.js";
export * from "./client/index.js";
export { StreamingChatCompletions } from "./streaming/stream.js";
export type { StreamEnd, StreamObserver, StreamResponse, StreamSource } from "./streaming/stream-source.js";
