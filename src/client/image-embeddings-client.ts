// The image embeddings client (P1, P1.9): `embed()` and `getModelInfo()`.
import { EmbeddingsResult } from "../models/embeddings.js";
import type { ModelInfo } from "../models/model-info.js";
import type { ImageEmbeddingsOptions } from "../models/embeddings-options.js";
import { runObserved } from "./instrumentation.js";
import { ClientCore, checkCallObject, inspectSymbol, prefillModelInfo } from "./client-core.js";
import type { Credential } from "./credentials.js";
import { type EmbeddingsClientOptions, type RequestOptions, resolveCallOptions } from "./options.js";
import { EMBEDDINGS_DEFAULT_KEYS, buildEmbeddingsBody } from "./request.js";
import type { EmbedRawOptions } from "./embeddings-client.js";

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
  async embed(options: ImageEmbedOptions | EmbedRawOptions): Promise<EmbeddingsResult> {
    checkCallObject(options, "embed");
    const prepared = buildEmbeddingsBody(
      options as unknown as Record<string, unknown>,
      this.#core.bodyContext,
      "embed",
    );
    const settings = resolveCallOptions(this.#core.options, options);
    const { body, passThrough } = prepared;
    const observer = this.#core.observe("embeddings", body, false);
    const request = {
      method: "POST",
      path: "/images/embeddings",
      body,
      passThrough,
      settings,
      observer,
    } as const;
    const send = () => this.#core.pipeline.send(request, (text) => EmbeddingsResult.fromJSON(text));
    if (observer === undefined) return send();
    return runObserved(observer, send, (result) => ({ outcome: "success", result }));
  }

  /** What the `/info` route says about the model, cached after the first success (P6.1). */
  getModelInfo(options?: RequestOptions): Promise<ModelInfo> {
    return this.#core.getModelInfo(options);
  }

  /** @internal Used by `loadClient`, which has already read `/info`. */
  [prefillModelInfo](info: ModelInfo): void {
    this.#core.prefill(info);
  }

  [inspectSymbol](): string {
    return this.#core.describe();
  }
}
