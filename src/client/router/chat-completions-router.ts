// The chat completions router (issue 14, docs/router.md): `complete()` as on a client, spread over
// several deployments with failover, cooldowns and a choice of strategy.
import { ChatCompletions } from "../../models/chat-completions.js";
import { StreamingChatCompletions } from "../../streaming/stream.js";
import type {
  ChatCompletionsClient,
  CompleteOptions,
  CompleteRawOptions,
} from "../chat-completions-client.js";
import { checkCallObject, inspectSymbol } from "../client-core.js";
import { runObserved } from "../instrumentation.js";
import type { ChatCompletionsClientOptions } from "../options.js";
import { CHAT_DEFAULT_KEYS, buildChatBody } from "../request.js";
// Types only, erased from the built code: the helpers load lazily, as for the client.
import type {
  JsonSchemaResponseFormat,
  ParseOptions,
  ParseStreamOptions,
  ParsedChatCompletionsStream,
  PartialOf,
  ParsedChatCompletions,
  ParsedOf,
  StructuredResponseFormat,
} from "../../helpers/structured-outputs/index.js";
import type { RunToolsOptions, RunToolsResult, ToolRunStream } from "../../helpers/tools/index.js";
import type { DeploymentStatus, RouterDeployment } from "./deployment.js";
import { type RoutedCallOptions, RouterCore, type RouterOwnOptions, withModel } from "./router-core.js";

/** Options of `ChatCompletionsRouter`: a client's options for every deployment, plus the strategy. */
export interface ChatCompletionsRouterOptions extends ChatCompletionsClientOptions, RouterOwnOptions {}

/** Options of one routed `complete()` call: a client's, plus an optional deployment to pin. */
export type RoutedCompleteOptions = (CompleteOptions | CompleteRawOptions) & RoutedCallOptions;

/**
 * Chat completions over several deployments (docs/router.md): lower priorities first, a strategy
 * within a priority, a deployment that answers 429, 408, 5xx, 401, 403 or 404 or cannot be
 * reached cools down while the call moves at once to another, and `maxRetries` counts attempts
 * across deployments.
 * @example
 * const router = new ChatCompletionsRouter([
 *   { name: "ptu-east", endpoint: e1, credential: c1, priority: 0 },
 *   { name: "paygo-west", endpoint: e2, credential: c2, priority: 1, model: "gpt-4o-2" },
 * ]);
 * const answer = await router.complete({ messages });
 */
export class ChatCompletionsRouter {
  readonly #core: RouterCore;

  constructor(deployments: readonly RouterDeployment[], options?: ChatCompletionsRouterOptions) {
    this.#core = new RouterCore("ChatCompletionsRouter", deployments, options, CHAT_DEFAULT_KEYS);
  }

  /**
   * Sends a chat completions request to a deployment and returns the answer, as
   * `ChatCompletionsClient.complete()` does. A stream fails over only before its first update.
   */
  complete(options: RoutedCompleteOptions & { stream: true }): Promise<StreamingChatCompletions>;
  complete(options: RoutedCompleteOptions & { stream?: false }): Promise<ChatCompletions>;
  complete(options: RoutedCompleteOptions): Promise<ChatCompletions | StreamingChatCompletions>;
  async complete(options: RoutedCompleteOptions): Promise<ChatCompletions | StreamingChatCompletions> {
    checkCallObject(options, "complete");
    const { deployment, ...call } = options;
    const routed = this.#core.start(
      {
        operation: "chat",
        path: "/chat/completions",
        build: (d) => buildChatBody(withModel(call, d.model), d.bodyContext),
      },
      call,
      deployment,
    );
    const { observer } = routed;
    if (routed.stream) {
      const open = async () => new StreamingChatCompletions(await routed.openStream());
      return observer === undefined ? open() : runObserved(observer, open, () => undefined);
    }
    const send = () => routed.send((text) => ChatCompletions.fromJSON(text));
    if (observer === undefined) return send();
    return runObserved(observer, send, (result) => ({ outcome: "success", result }));
  }

  /** `parse()` of `ai-inference/structured` over this router (see `ChatCompletionsClient.parse`). */
  parse<F extends StructuredResponseFormat>(
    options: ParseStreamOptions<F>,
  ): Promise<ParsedChatCompletionsStream<ParsedOf<F>, PartialOf<F>>>;
  parse<T>(options: ParseStreamOptions<JsonSchemaResponseFormat>): Promise<ParsedChatCompletionsStream<T>>;
  parse<F extends StructuredResponseFormat>(
    options: ParseOptions<F> & { stream?: false },
  ): Promise<ParsedChatCompletions<ParsedOf<F>>>;
  parse<T>(
    options: ParseOptions<JsonSchemaResponseFormat> & { stream?: false },
  ): Promise<ParsedChatCompletions<T>>;
  async parse(
    options: ParseOptions,
  ): Promise<ParsedChatCompletions<unknown> | ParsedChatCompletionsStream<unknown>> {
    const helper = await import("#helpers/structured");
    // One call for both forms: the helper looks at `stream` itself.
    return helper.parse(
      this as unknown as ChatCompletionsClient,
      options as ParseOptions & { stream?: false },
    );
  }

  /** `runTools()` of `ai-inference/tools` over this router (see `ChatCompletionsClient.runTools`). */
  runTools(options: RunToolsOptions & { stream: true }): Promise<ToolRunStream>;
  runTools(options: RunToolsOptions & { stream?: false }): Promise<RunToolsResult>;
  runTools(options: RunToolsOptions): Promise<RunToolsResult | ToolRunStream>;
  async runTools(options: RunToolsOptions): Promise<RunToolsResult | ToolRunStream> {
    const helper = await import("#helpers/tools");
    return helper.runTools(this as unknown as ChatCompletionsClient, options);
  }

  /** Each deployment: name, redacted endpoint, available or cooling until when, in flight, counts. */
  deployments(): DeploymentStatus[] {
    return this.#core.status();
  }

  [inspectSymbol](): string {
    return this.#core.describe();
  }
}
