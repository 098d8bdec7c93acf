// Message content items (M8), chosen by `type` when built from wire data (M4.4).
import { type AttributeInput, type Attributes, Model } from "./model.js";
import { defineModel, field } from "./define-model.js";
import type { AudioContentFormat, ImageDetailLevel } from "./enums.js";
import { type BinarySource, readBinarySource, readImageDataUrl, requireFormat } from "./binary-source.js";
import { bytesToBase64 } from "../internal/base64.js";

/**
 * One part of a user message's content. Built from wire data it becomes the subclass its `type`
 * names; an unknown or missing `type` gives a `ContentItem` with every key kept.
 */
export class ContentItem extends Model {
  declare type: string;
  constructor(attributes?: Attributes<ContentItem>) {
    super(attributes);
  }
}

/** Text content (`type: "text"`). */
export class TextContentItem extends ContentItem {
  declare text: string;
  constructor(attributes?: Attributes<TextContentItem>) {
    super(attributes);
  }
}

/** An image, by URL or data URL (`type: "image_url"`). */
export class ImageContentItem extends ContentItem {
  constructor(attributes?: Attributes<ImageContentItem>) {
    super(attributes);
  }
}

// The typed view's fields whose setters take more than their getters return (see chat-completions.ts).
export interface ImageContentItem {
  get imageUrl(): ImageUrl;
  set imageUrl(value: AttributeInput<ImageUrl> | undefined);
}

/** Audio given inline as base64 (`type: "input_audio"`). */
export class AudioContentItem extends ContentItem {
  constructor(attributes?: Attributes<AudioContentItem>) {
    super(attributes);
  }
}

export interface AudioContentItem {
  get inputAudio(): InputAudio;
  set inputAudio(value: AttributeInput<InputAudio> | undefined);
}

/** Audio given by URL (`type: "audio_url"`). */
export class AudioUrlContentItem extends ContentItem {
  constructor(attributes?: Attributes<AudioUrlContentItem>) {
    super(attributes);
  }
}

export interface AudioUrlContentItem {
  get audioUrl(): InputAudioUrl;
  set audioUrl(value: AttributeInput<InputAudioUrl> | undefined);
}

/** An image URL, or a `data:` URL holding the image. */
export class ImageUrl extends Model {
  declare url: string;
  declare detail: ImageDetailLevel | null | undefined;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({ url: field.value(), detail: field.value() }));
  constructor(attributes?: Attributes<ImageUrl>) {
    super(attributes);
  }

  /**
   * Reads an image into a `data:image/<format>;base64,...` URL.
   * @param source a file path (Node.js, Deno, Bun), bytes, or a `Blob`; file errors (ENOENT...) pass through unchanged.
   * @param format the image format, verbatim in the URL (`png`, `jpeg`...).
   * @example
   * new ImageContentItem({ imageUrl: await ImageUrl.load("photo.png", "png", "low") })
   */
  static async load(source: BinarySource, format: string, detail?: ImageDetailLevel): Promise<ImageUrl> {
    return new ImageUrl({ url: await readImageDataUrl(source, format, "ImageUrl.load"), detail });
  }
}

/** Inline audio: bare base64 data (no `data:` prefix) and its format. */
export class InputAudio extends Model {
  declare data: string;
  declare format: AudioContentFormat;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({ data: field.value(), format: field.value() }));
  constructor(attributes?: Attributes<InputAudio>) {
    super(attributes);
  }

  /** Reads audio into base64 `data`. File errors pass through unchanged. */
  static async load(source: BinarySource, format: AudioContentFormat): Promise<InputAudio> {
    requireFormat(format, "InputAudio.load");
    const bytes = await readBinarySource(source, "InputAudio.load");
    return new InputAudio({ data: bytesToBase64(bytes), format });
  }
}

/** Audio by URL. */
export class InputAudioUrl extends Model {
  declare url: string;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({ url: field.value() }));
  constructor(attributes?: Attributes<InputAudioUrl>) {
    super(attributes);
  }
}

defineModel(ContentItem, { type: field.value() }, { discriminator: "type" });
defineModel(TextContentItem, { text: field.value() }, { fixed: { key: "type", value: "text" } });
defineModel(
  ImageContentItem,
  { imageUrl: field.model(() => ImageUrl) },
  { fixed: { key: "type", value: "image_url" } },
);
defineModel(
  AudioContentItem,
  { inputAudio: field.model(() => InputAudio) },
  { fixed: { key: "type", value: "input_audio" } },
);
defineModel(
  AudioUrlContentItem,
  { audioUrl: field.model(() => InputAudioUrl) },
  { fixed: { key: "type", value: "audio_url" } },
);
