// The image embeddings client (P1, P1.9): `embed()` and `getModelInfo()`.
import type { EmbeddingsResult } from "../models/embeddings.js";
import type { ModelInfo } from "../models/model-info.js";
import type { ImageEmbeddingsOptions } from "../models/embeddings-options.js";
import { ClientCore, installCoreHooks, prefillModelInfo } from "./client-core.js";
import type { Credential } from "./credentials.js";
import type { EmbeddingsClientOptions, RequestOptions } from "./options.js";
import { EMBEDDINGS_DEFAULT_KEYS } from "./request.js";
import { type EmbedRawOptions, sendEmbeddings } from "./embeddings-client.js";

/** Options of one `embed()` call of `ImageEmbeddingsClient`. */
export interface ImageEmbedOptions extends ImageEmbeddingsOptions, RequestOptions {
  /** Body keys outside the schema, merged at the top level; sends `extra-parameters: pass-through`. */
  modelExtras?: Record<string, unknown>;
}

/**
 * A client for image embeddings: each input is an image as a data URL, with optional text.
 * @example
 * const client = new ImageEmbeddingsClient(endpoint, new AzureKeyCredential(key));
 * const input = await ImageEmbeddingInput.load("photo.png", "png");
 * const result = await client.embed({ input: [input] });
 */
export class ImageEmbeddingsClient {
  readonly #core: ClientCore;
  /** @internal Used by `loadClient`, which has already read `/info`. */
  declare [prefillModelInfo]: (info: ModelInfo) => void;
  static #hooks = /* @__PURE__ */ installCoreHooks(this, (client: ImageEmbeddingsClient) => client.#core);

  constructor(endpoint: string | URL, credential: Credential, options?: EmbeddingsClientOptions) {
    this.#core = new ClientCore(
      "ImageEmbeddingsClient",
      endpoint,
      credential,
      options,
      EMBEDDINGS_DEFAULT_KEYS,
    );
  }

  /** Embeds the images of `input`, in order. */
  embed(options: ImageEmbedOptions | EmbedRawOptions): Promise<EmbeddingsResult> {
    return sendEmbeddings(this.#core, options, "/images/embeddings");
  }

  /** What the `/info` route says about the model, cached after the first success (P6.1). */
  getModelInfo(options?: RequestOptions): Promise<ModelInfo> {
    return this.#core.getModelInfo(options);
  }
}
