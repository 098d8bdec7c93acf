/**
 * ai-inference: the SDK entry. Re-exports only; internals (src/internal) stay out on purpose.
 * @module
 */
export * from "./models/index.js";
export * from "./errors.js";
export * from "./client/index.js";
