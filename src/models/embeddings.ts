// Embeddings (M8): the result of the embeddings and image embeddings operations, and image input.
import { type AttributeInput, type Attributes, Model } from "./model.js";
import { defineModel, field } from "./define-model.js";
import { type BinarySource, readImageDataUrl } from "./binary-source.js";
import { base64ToBytes } from "../internal/base64.js";

/** The embeddings of a request's inputs, in input order (see each item's `index`). */
export class EmbeddingsResult extends Model {
  declare id: string;
  declare model: string;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    id: field.value(),
    data: field.list(() => EmbeddingItem),
    usage: field.model(() => EmbeddingsUsage),
    model: field.value(),
  }));
  constructor(attributes?: Attributes<EmbeddingsResult>) {
    super(attributes);
  }
}

// The typed view's fields whose setters take more than their getters return (see chat-completions.ts).
export interface EmbeddingsResult {
  get data(): EmbeddingItem[];
  set data(value: AttributeInput<EmbeddingItem[]> | undefined);
  get usage(): EmbeddingsUsage;
  set usage(value: AttributeInput<EmbeddingsUsage> | undefined);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** One input's embedding: numbers, or base64 text when `encodingFormat` was `base64`. */
export class EmbeddingItem extends Model {
  declare embedding: number[] | string;
  declare index: number;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    embedding: field.value(),
    index: field.value(),
  }));
  constructor(attributes?: Attributes<EmbeddingItem>) {
    super(attributes);
  }

  /**
   * The embedding as a `Float32Array`, for the `float` (numbers) and `base64` (little-endian
   * float32) encodings. Other encodings (`int8`, `binary`...) are not float32 and are refused.
   */
  embeddingAsFloat32(): Float32Array {
    const embedding: unknown = this.embedding;
    if (Array.isArray(embedding)) return Float32Array.from(embedding as number[]);
    if (typeof embedding !== "string") {
      throw new TypeError("embeddingAsFloat32(): this item has no embedding (numbers or base64 text).");
    }
    const bytes = base64ToBytes(embedding);
    if (bytes.length % 4 !== 0) {
      throw new TypeError(
        `embeddingAsFloat32(): ${bytes.length} bytes is not a whole number of float32 values; ` +
          "only the float and base64 encodings hold float32.",
      );
    }
    if (LITTLE_ENDIAN) return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
  }
}

/** Token counts of an embeddings request. */
export class EmbeddingsUsage extends Model {
  declare promptTokens: number;
  declare totalTokens: number;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    promptTokens: field.value(),
    totalTokens: field.value(),
  }));
  constructor(attributes?: Attributes<EmbeddingsUsage>) {
    super(attributes);
  }
}

/** One input of an image embeddings request: an image as a data URL, with optional text. */
export class ImageEmbeddingInput extends Model {
  declare image: string;
  declare text: string | null | undefined;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({ image: field.value(), text: field.value() }));
  constructor(attributes?: Attributes<ImageEmbeddingInput>) {
    super(attributes);
  }

  /** Reads an image into a `data:image/<format>;base64,...` input. File errors pass through unchanged. */
  static async load(source: BinarySource, format: string, text?: string): Promise<ImageEmbeddingInput> {
    return new ImageEmbeddingInput({
      image: await readImageDataUrl(source, format, "ImageEmbeddingInput.load"),
      text,
    });
  }
}
