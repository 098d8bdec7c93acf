// The gateway (`serve --upstreams FILE`, issue 14): a wire engine over the routers, built here in
// the CLI so that the server never imports the client (S2.1). Bodies go upstream as the caller sent
// them (the raw body path, P1.7: the upstream decides what it accepts), streams are passed through
// update by update as they arrive, and upstream errors come back with their status, body and retry
// headers: never a key, which the SDK redacts from everything it reports.
import {
  AbortError,
  HttpResponseError,
  RequestTimeoutError,
  ServiceRequestError,
  ServiceResponseError,
} from "../../errors.js";
import type { StreamingChatCompletions } from "../../streaming/stream.js";
import type { WireEngine, WireReply, WireRequest } from "../../server/engine/wire-engine.js";
import { HttpError } from "../../server/http-error.js";
import { ChatCompletionsRouter } from "../../client/router/chat-completions-router.js";
import type { DeploymentStatus } from "../../client/router/deployment.js";
import { EmbeddingsRouter } from "../../client/router/embeddings-router.js";
import type { UpstreamsConfig } from "./upstreams-file.js";

/** Response headers of an upstream error worth handing on: the waits and limits it announced, its request ids. */
const passedHeaders =
  /^(retry-after|retry-after-ms|x-ms-retry-after-ms|x-ratelimit-.*|x-request-id|apim-request-id|x-ms-error-code)$/i;

/** The gateway engine, with its routers' state (for logs and tests). */
export interface GatewayEngine extends WireEngine {
  deployments(): DeploymentStatus[];
}

export function createGatewayEngine(config: UpstreamsConfig): GatewayEngine {
  const options = { ...config.options, strategy: config.strategy };
  const chat = new ChatCompletionsRouter(config.deployments, options);
  const embeddings = new EmbeddingsRouter(config.deployments, options);
  const names = new Set(config.deployments.map((d) => d.name));
  const models = new Map(config.deployments.map((d) => [d.name, d.model]));

  /** The body to send and the deployment to pin: a `model` naming a deployment routes there. */
  const route = (request: WireRequest) => {
    const body: Record<string, unknown> = { ...request.body };
    const model = body.model;
    if (typeof model !== "string" || !names.has(model)) return { body, deployment: undefined };
    // The name was ours, not the upstream's: the deployment's model replaces it, or none is sent.
    if (models.get(model) === undefined) delete body.model;
    return { body, deployment: model };
  };
  const forwardedHeaders = (request: WireRequest): Record<string, string> | undefined => {
    const mode = request.headers.get("extra-parameters");
    return mode === null ? undefined : { "extra-parameters": mode };
  };

  return {
    kind: "wire",
    info: { modelName: "gateway", modelType: "chat-completion", modelProviderName: "ai-inference" },
    models: () => config.deployments.map((d) => ({ id: d.name, ownedBy: "ai-inference-gateway" })),
    deployments: () => chat.deployments(),
    async chat(request) {
      const { body, deployment } = route(request);
      const call = { abortSignal: request.signal, headers: forwardedHeaders(request), deployment };
      try {
        if (body.stream === true) {
          // An object body says itself that it streams (P1.7).
          const stream = (await chat.complete({ ...call, body })) as unknown as StreamingChatCompletions;
          return { events: passThrough(stream) };
        }
        return { status: 200, body: await chat.complete({ ...call, body }) };
      } catch (error) {
        return failure(error);
      }
    },
    async embeddings(request) {
      const { body, deployment } = route(request);
      try {
        const result = await embeddings.embed({
          body,
          abortSignal: request.signal,
          headers: forwardedHeaders(request),
          deployment,
        });
        return { status: 200, body: result };
      } catch (error) {
        return failure(error);
      }
    },
    async close() {},
  };
}

/** Each update as it arrives; a failure after the first becomes the stream's error event (P5.4). */
async function* passThrough(stream: StreamingChatCompletions): AsyncGenerator<unknown> {
  try {
    for await (const update of stream) yield update;
  } catch (error) {
    if (error instanceof AbortError) throw error;
    const status = error instanceof HttpResponseError ? error.statusCode : 502;
    throw new HttpError({ status, code: "upstream_error", message: (error as Error).message });
  } finally {
    stream.close();
  }
}

/** An upstream failure as the gateway's answer. */
function failure(error: unknown): WireReply {
  if (error instanceof AbortError) throw error;
  if (error instanceof HttpResponseError) {
    const headers: Record<string, string> = {};
    error.headers.forEach((value, name) => {
      if (passedHeaders.test(name)) headers[name] = value;
    });
    // The router's own 429 (every deployment cooling) and upstream errors alike; the body is the
    // upstream's, already redacted by the SDK, or an envelope when it had none worth passing.
    const body =
      typeof error.body === "object" && error.body !== null
        ? error.body
        : { error: { code: error.code ?? "upstream_error", message: error.message } };
    return { status: error.statusCode, headers, body };
  }
  if (error instanceof TypeError) {
    return { status: 400, body: { error: { code: "invalid_request", message: error.message } } };
  }
  // Not the SDK's message: it names the upstream's URL, which the gateway's callers need not see.
  const deployment = (error as { deployment?: string }).deployment;
  const which = deployment === undefined ? "The upstream" : `The upstream deployment "${deployment}"`;
  if (error instanceof RequestTimeoutError) {
    return {
      status: 504,
      body: { error: { code: "upstream_timeout", message: `${which} did not answer in time.` } },
    };
  }
  if (error instanceof ServiceRequestError || error instanceof ServiceResponseError) {
    const message = `${which} could not be reached, or its connection broke.`;
    return { status: 502, body: { error: { code: "upstream_unreachable", message } } };
  }
  return { status: 500, body: { error: { code: "internal_error", message: "Internal server error." } } };
}
