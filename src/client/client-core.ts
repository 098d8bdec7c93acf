// What every client shares: its normalized options, its pipeline, the model-info cache (P6.1) and
// an inspection that shows the endpoint but never a secret (P3.3). Each client class holds one in
// a private field, so nothing here is reachable from outside.
import { ModelInfo } from "../models/model-info.js";
import { type Credential, checkCredential } from "./credentials.js";
import {
  type ClientOptions,
  type NormalizedClientOptions,
  type RequestOptions,
  REQUEST_OPTION_KEYS,
  normalizeClientOptions,
  resolveCallOptions,
} from "./options.js";
import { Pipeline } from "./pipeline.js";
import { type CallObserver, startObserving } from "./instrumentation.js";
import type { BodyContext } from "./request.js";

/** The sentence P6.1 appends to a 404 from `/info`. */
export const INFO_NOT_SUPPORTED =
  "Model information is not available on this endpoint (/info route not supported).";

/** Fills a client's model-info cache (used by `loadClient`, which has already asked `/info`). */
export const prefillModelInfo: unique symbol = Symbol("ai-inference.prefill-model-info");

export class ClientCore {
  readonly name: string;
  readonly options: NormalizedClientOptions;
  readonly pipeline: Pipeline;
  readonly bodyContext: BodyContext;
  #modelInfo: ModelInfo | undefined;

  constructor(
    name: string,
    endpoint: unknown,
    credential: unknown,
    options: (ClientOptions & { defaults?: object }) | undefined,
    defaultKeys: ReadonlySet<string>,
  ) {
    this.name = name;
    checkCredential(credential, name);
    this.options = normalizeClientOptions(name, endpoint, options, defaultKeys);
    this.pipeline = new Pipeline(this.options, credential as Credential);
    this.bodyContext = {
      kind: this.options.kind,
      defaults: this.options.defaults,
      modelExtras: this.options.modelExtras,
    };
  }

  /** `GET /info`, cached once it succeeds (P6.1). */
  async getModelInfo(options: RequestOptions = {}): Promise<ModelInfo> {
    if (this.#modelInfo !== undefined) return this.#modelInfo;
    checkRequestOptionsOnly(options, "getModelInfo");
    const info = await this.pipeline.send(
      {
        method: "GET",
        path: "/info",
        body: undefined,
        passThrough: false,
        settings: resolveCallOptions(this.options, options),
        notFoundSuffix: INFO_NOT_SUPPORTED,
      },
      (text) => ModelInfo.fromJSON(text),
    );
    this.#modelInfo = info;
    return info;
  }

  /**
   * The observer of one call (docs/tracing.md), or `undefined` when nothing instruments this
   * client. Called after the call's options were checked, before anything is sent.
   */
  observe(
    operation: "chat" | "embeddings",
    body: string | Uint8Array,
    stream: boolean,
  ): CallObserver | undefined {
    const { options } = this;
    return startObserving(options.instrumentation, {
      operation,
      clientName: this.name,
      endpoint: options.baseUrl,
      kind: options.kind,
      apiVersion: options.apiVersion,
      stream,
      body,
      tracing: options.tracing,
    });
  }

  prefill(info: ModelInfo): void {
    this.#modelInfo = info;
  }

  /** What `util.inspect` and `console.log` show of a client: where it points, never its credential. */
  describe(): string {
    const { baseUrl, kind, apiVersion } = this.options;
    return `${this.name} { endpoint: ${JSON.stringify(baseUrl)}, kind: "${kind}", apiVersion: ${JSON.stringify(apiVersion)} }`;
  }
}

function checkRequestOptionsOnly(options: object, method: string): void {
  if (typeof options !== "object" || options === null)
    throw new TypeError(`${method}(options): options must be an object.`);
  for (const key of Object.keys(options)) {
    if (!REQUEST_OPTION_KEYS.has(key)) throw new TypeError(`${method}(): unknown option "${key}".`);
  }
}

/** Throws `TypeError` unless a call's argument is an object. */
export function checkCallObject(
  options: unknown,
  method: string,
): asserts options is Record<string, unknown> {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${method}(options) takes one object of options.`);
  }
}

export const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * Gives a client class its `prefillModelInfo` method and its inspection, both reading the client's
 * `ClientCore` through `coreOf`. A class calls it from a static field, marked pure for bundlers,
 * rather than declaring methods under computed keys (which a bundler must assume have effects), so
 * that a program that never uses the class drops it: `static #hooks = installCoreHooks(this, ...)`.
 */
export function installCoreHooks<T extends object>(
  cls: { prototype: T },
  coreOf: (client: T) => ClientCore,
): undefined {
  const method = (value: (this: T, ...args: never[]) => unknown) => ({
    value,
    writable: true,
    configurable: true,
  });
  Object.defineProperties(cls.prototype, {
    [prefillModelInfo]: method(function (info: ModelInfo) {
      coreOf(this).prefill(info);
    }),
    [inspectSymbol]: method(function () {
      return coreOf(this).describe();
    }),
  });
  return undefined;
}
