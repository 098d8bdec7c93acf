/**
 * ai-inference/router: one client over many deployments (docs/router.md). Its own entry, so that
 * the SDK entry stays small; its bundle takes the SDK's classes from the entry.
 * @module
 */
export {
  ChatCompletionsRouter,
  type ChatCompletionsRouterOptions,
  type RoutedCompleteOptions,
} from "./chat-completions-router.js";
export {
  EmbeddingsRouter,
  type EmbeddingsRouterOptions,
  type RoutedEmbedOptions,
} from "./embeddings-router.js";
export type { DeploymentStatus, RouterDeployment } from "./deployment.js";
export type { RoutedCallOptions, RouterOwnOptions } from "./router-core.js";
export type { RoutingStrategy } from "./selection.js";
