// The embeddings router (issue 14, docs/router.md): `embed()` as on `EmbeddingsClient`, spread over
// several deployments like `ChatCompletionsRouter`.
import { EmbeddingsResult } from "../../models/embeddings.js";
import { checkCallObject, inspectSymbol } from "../client-core.js";
import type { EmbedOptions, EmbedRawOptions } from "../embeddings-client.js";
import { runObserved } from "../instrumentation.js";
import type { EmbeddingsClientOptions } from "../options.js";
import { EMBEDDINGS_DEFAULT_KEYS, buildEmbeddingsBody } from "../request.js";
import type { DeploymentStatus, RouterDeployment } from "./deployment.js";
import { type RoutedCallOptions, RouterCore, type RouterOwnOptions, withModel } from "./router-core.js";

/** Options of `EmbeddingsRouter`: a client's options for every deployment, plus the strategy. */
export interface EmbeddingsRouterOptions extends EmbeddingsClientOptions, RouterOwnOptions {}

/** Options of one routed `embed()` call. */
export type RoutedEmbedOptions = (EmbedOptions | EmbedRawOptions) & RoutedCallOptions;

/**
 * Text embeddings over several deployments, with the rules of `ChatCompletionsRouter`.
 * @example
 * const router = new EmbeddingsRouter([
 *   { name: "east", endpoint: e1, credential: c1 },
 *   { name: "west", endpoint: e2, credential: c2 },
 * ], { strategy: "round-robin" });
 * const result = await router.embed({ input: ["first phrase"] });
 */
export class EmbeddingsRouter {
  readonly #core: RouterCore;

  constructor(deployments: readonly RouterDeployment[], options?: EmbeddingsRouterOptions) {
    this.#core = new RouterCore("EmbeddingsRouter", deployments, options, EMBEDDINGS_DEFAULT_KEYS);
  }

  /** Embeds the texts of `input`, in order, on a deployment. */
  async embed(options: RoutedEmbedOptions): Promise<EmbeddingsResult> {
    checkCallObject(options, "embed");
    const { deployment, ...call } = options;
    const routed = this.#core.start(
      {
        operation: "embeddings",
        path: "/embeddings",
        build: (d) => buildEmbeddingsBody(withModel(call, d.model), d.bodyContext, "embed"),
      },
      call,
      deployment,
    );
    const send = () => routed.send((text) => EmbeddingsResult.fromJSON(text));
    const { observer } = routed;
    if (observer === undefined) return send();
    return runObserved(observer, send, (result) => ({ outcome: "success", result }));
  }

  /** Each deployment: name, redacted endpoint, available or cooling until when, in flight, counts. */
  deployments(): DeploymentStatus[] {
    return this.#core.status();
  }

  [inspectSymbol](): string {
    return this.#core.describe();
  }
}
