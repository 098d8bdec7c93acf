// The embeddings requests' options in typed (camelCase) names and their wire names (protocol.md P1,
// P1.9). Like chat-completions-options.ts, this table is the one place that maps the two.
import type { WireInput } from "./wire-values.js";
import type { ImageEmbeddingInput } from "./embeddings.js";
import type { EmbeddingEncodingFormat, EmbeddingInputType } from "./enums.js";

/** The options both embeddings operations share. */
export interface EmbeddingsCommonOptions {
  /** How many dimensions the embeddings should have (models that support it). */
  dimensions?: number;
  /** `float` (numbers, the default), `base64`, `int8`... */
  encodingFormat?: EmbeddingEncodingFormat;
  /** What the input is for: `text`, `query`, `document`. */
  inputType?: EmbeddingInputType;
  /** The model, for endpoints that serve several. */
  model?: string;
}

/** The text embeddings request body in typed names. */
export interface EmbeddingsOptions extends EmbeddingsCommonOptions {
  /** The texts to embed. */
  input: readonly string[];
}

/** The image embeddings request body in typed names. */
export interface ImageEmbeddingsOptions extends EmbeddingsCommonOptions {
  /** The images (data URLs), each with optional text: models or wire objects (any object type). */
  input: readonly (ImageEmbeddingInput | WireInput)[];
}

/** Typed name → wire name of every embeddings body option. */
export const embeddingsOptionWireNames = /* @__PURE__ */ Object.freeze({
  input: "input",
  dimensions: "dimensions",
  encodingFormat: "encoding_format",
  inputType: "input_type",
  model: "model",
} as const satisfies Record<keyof EmbeddingsOptions, string>);

/** OpenAI-style embeddings keys that the Model Inference schema lacks. */
export const openAiOnlyEmbeddingsWireKeys: ReadonlySet<string> = new Set(["user"]);
