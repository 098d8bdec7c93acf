// The text embeddings client (P1.9): `embed()` and `getModelInfo()`.
import { EmbeddingsResult } from "../models/embeddings.js";
import type { ModelInfo } from "../models/model-info.js";
import type { EmbeddingsOptions } from "../models/embeddings-options.js";
import { runObserved } from "./instrumentation.js";
import { ClientCore, checkCallObject, installCoreHooks, prefillModelInfo } from "./client-core.js";
import type { Credential } from "./credentials.js";
import { type EmbeddingsClientOptions, type RequestOptions, resolveCallOptions } from "./options.js";
import { EMBEDDINGS_DEFAULT_KEYS, type RawBody, buildEmbeddingsBody } from "./request.js";

/** Options of one `embed()` call of `EmbeddingsClient`. */
export interface EmbedOptions extends EmbeddingsOptions, RequestOptions {
  /** Body keys outside the schema, merged at the top level; sends `extra-parameters: pass-through`. */
  modelExtras?: Record<string, unknown>;
}

/** A raw `embed()` call: the body is sent exactly as given (P1.7, P1.9). */
export interface EmbedRawOptions extends RequestOptions {
  body: RawBody;
}

/**
 * A client for text embeddings.
 * @example
 * const client = new EmbeddingsClient(endpoint, new AzureKeyCredential(key));
 * const result = await client.embed({ input: ["first phrase", "second phrase"] });
 * console.log(result.data[0].embedding);
 */
export class EmbeddingsClient {
  readonly #core: ClientCore;
  /** @internal Used by `loadClient`, which has already read `/info`. */
  declare [prefillModelInfo]: (info: ModelInfo) => void;
  static #hooks = /* @__PURE__ */ installCoreHooks(this, (client: EmbeddingsClient) => client.#core);

  constructor(endpoint: string | URL, credential: Credential, options?: EmbeddingsClientOptions) {
    this.#core = new ClientCore("EmbeddingsClient", endpoint, credential, options, EMBEDDINGS_DEFAULT_KEYS);
  }

  /** Embeds the texts of `input`, in order. */
  embed(options: EmbedOptions | EmbedRawOptions): Promise<EmbeddingsResult> {
    return sendEmbeddings(this.#core, options, "/embeddings");
  }

  /** What the `/info` route says about the model, cached after the first success (P6.1). */
  getModelInfo(options?: RequestOptions): Promise<ModelInfo> {
    return this.#core.getModelInfo(options);
  }
}

/** The request both embeddings clients send (P1.9), to their own path, observed when instrumented. */
export async function sendEmbeddings(
  core: ClientCore,
  options: object,
  path: "/embeddings" | "/images/embeddings",
): Promise<EmbeddingsResult> {
  checkCallObject(options, "embed");
  const { body, passThrough } = buildEmbeddingsBody(options, core.bodyContext, "embed");
  const settings = resolveCallOptions(core.options, options);
  const observer = core.observe("embeddings", body, false);
  const request = { method: "POST", path, body, passThrough, settings, observer } as const;
  const send = () => core.pipeline.send(request, (text) => EmbeddingsResult.fromJSON(text));
  if (observer === undefined) return send();
  return runObserved(observer, send, (result) => ({ outcome: "success", result }));
}
