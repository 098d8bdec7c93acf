// The model layer's public surface (M1–M9).
export {
  Model,
  type Attributes,
  type AttributeInput,
  type FieldInfo,
  type Visibility,
  type WireInput,
  type WireObject,
} from "./model.js";
export { KeyError, isKeyError } from "./key-error.js";
export * from "./enums.js";
export * from "./chat-completions.js";
export * from "./streaming-updates.js";
export * from "./messages.js";
export * from "./content-items.js";
export * from "./tools.js";
export * from "./response-formats.js";
export type {
  JsonSchemaInput,
  JsonSchemaObject,
  NamedSchema,
  StandardJSONSchemaV1,
  StandardSchemaV1,
} from "./schema-inputs.js";
export * from "./embeddings.js";
export * from "./model-info.js";
export type { BinarySource } from "./binary-source.js";
export * from "./chat-completions-options.js";
export * from "./embeddings-options.js";
