// What both routers share (issue 14): their deployments, and the attempt loop of one call. Each
// attempt goes through the chosen deployment's own pipeline (the client's: auth, headers,
// redirects, timeouts, logging, errors) with no retry in place; this loop decides what comes next:
// another deployment at once, a wait for the one that cools down soonest, or the end, with
// `maxRetries` counting attempts across deployments.
import {
  AbortError,
  type AiInferenceError,
  HttpResponseError,
  RequestTimeoutError,
  type RetryAttempt,
  type RetryWaitSource,
  ServiceRequestError,
  ServiceResponseError,
  createHttpResponseError,
} from "../../errors.js";
import type { StreamSource } from "../../streaming/stream-source.js";
import { sleep } from "../../internal/sleep.js";
import { randomUUID } from "../../internal/uuid.js";
import { type CallObserver, notify, startObserving } from "../instrumentation.js";
import {
  type CallSettings,
  type ClientOptions,
  type RequestOptions,
  resolveCallOptions,
} from "../options.js";
import type { PipelineRequest } from "../pipeline.js";
import type { PreparedBody } from "../request.js";
import { abortError, withRetries } from "../response-errors.js";
import type { AttemptFailure } from "../retry-policy.js";
import { judgeFailure } from "./cooling.js";
import {
  type Deployment,
  type DeploymentStatus,
  type RouterDeployment,
  createDeployments,
} from "./deployment.js";
import { ROUTING_STRATEGIES, type RoutingStrategy, choose } from "./selection.js";

/** What every router takes besides the client options. */
export interface RouterOwnOptions {
  /**
   * How calls spread within one priority: `priority` (weighted random), `least-busy` (fewest in
   * flight) or `round-robin` (weighted rotation). Lower priorities always come first. @default "priority"
   */
  strategy?: RoutingStrategy;
}

/** Call options only a router takes. */
export interface RoutedCallOptions {
  /** Sends the call to this deployment only (by name): no failover, but its cooldown is still waited for. */
  deployment?: string;
}

/** One operation's request as a router builds it for a deployment. */
export interface RoutedRequest {
  readonly operation: "chat" | "embeddings";
  readonly path: string;
  /** The body for this deployment (its `model`, its endpoint kind's rules); throws on a caller mistake. */
  readonly build: (deployment: Deployment) => PreparedBody;
}

export class RouterCore {
  readonly name: string;
  readonly deployments: readonly Deployment[];
  readonly strategy: RoutingStrategy;
  readonly #byName: ReadonlyMap<string, Deployment>;

  constructor(
    name: string,
    configs: readonly RouterDeployment[],
    options: (ClientOptions & RouterOwnOptions & { defaults?: object }) | undefined,
    defaultKeys: ReadonlySet<string>,
  ) {
    this.name = name;
    if (options !== undefined && (typeof options !== "object" || options === null)) {
      throw new TypeError(`new ${name}(deployments, options): options must be an object.`);
    }
    const { strategy = "priority", ...clientOptions } = options ?? {};
    if (!ROUTING_STRATEGIES.includes(strategy)) {
      throw new TypeError(
        `new ${name}(): strategy must be one of ${ROUTING_STRATEGIES.map((s) => `"${s}"`).join(", ")}, not ${JSON.stringify(strategy)}.`,
      );
    }
    this.strategy = strategy;
    this.deployments = Object.freeze(createDeployments(name, configs, clientOptions, defaultKeys));
    this.#byName = new Map(this.deployments.map((d) => [d.name, d]));
  }

  /** What `util.inspect` shows: the deployments by name and redacted endpoint, never a credential. */
  describe(): string {
    return `${this.name} { strategy: "${this.strategy}", deployments: [${this.deployments.map((d) => JSON.stringify(d.describe())).join(", ")}] }`;
  }

  status(): DeploymentStatus[] {
    const now = Date.now();
    return this.deployments.map((d) => d.status(now));
  }

  /** Starts a call: checks its options and builds its first body before anything is sent. */
  start(request: RoutedRequest, requestOptions: RequestOptions, pinned: string | undefined): RoutedCall {
    let candidates = this.deployments;
    if (pinned !== undefined) {
      const only = typeof pinned === "string" ? this.#byName.get(pinned) : undefined;
      if (only === undefined) {
        throw new TypeError(
          `${this.name}: no deployment is named ${JSON.stringify(pinned)} (known: ${[...this.#byName.keys()].join(", ")}).`,
        );
      }
      candidates = [only];
    }
    // Every deployment shares the router's request settings (timeouts, retries, hooks).
    const settings = resolveCallOptions(this.deployments[0].options, requestOptions);
    return new RoutedCall(this, request, candidates, settings);
  }
}

/** One call across its attempts. */
export class RoutedCall {
  readonly observer: CallObserver | undefined;
  /** Whether the answer is an event stream (the first body says; every body says the same). */
  readonly stream: boolean;
  readonly #core: RouterCore;
  readonly #request: RoutedRequest;
  readonly #candidates: readonly Deployment[];
  readonly #settings: CallSettings;
  readonly #requestId = randomUUID();
  readonly #bodies = new Map<Deployment, PreparedBody>();
  readonly #retries: RetryAttempt[] = [];
  #attempt = 0;
  /** The failed attempt waiting to learn what came next (its wait), to be listed in `retries`. */
  #pending: { readonly record: RetryAttempt; readonly from: Deployment } | undefined;
  #lastError: unknown;

  constructor(
    core: RouterCore,
    request: RoutedRequest,
    candidates: readonly Deployment[],
    settings: CallSettings,
  ) {
    this.#core = core;
    this.#request = request;
    this.#candidates = candidates;
    this.#settings = settings;
    // The deployment most likely to serve: its body is checked now (a caller's mistake throws before
    // any I/O) and shown to instrumentation.
    const first = [...candidates].sort((a, b) => a.priority - b.priority)[0];
    const body = this.#body(first);
    this.stream = body.stream;
    const { options } = first;
    this.observer = startObserving(options.instrumentation, {
      operation: request.operation,
      clientName: core.name,
      endpoint: options.baseUrl,
      kind: options.kind,
      apiVersion: options.apiVersion,
      stream: body.stream,
      body: body.body,
      tracing: options.tracing,
    });
  }

  /** A non-streamed call: attempts until one succeeds or the call must fail. */
  async send<T>(parse: (text: string) => T): Promise<T> {
    for (;;) {
      const deployment = await this.#choose();
      let failure: AttemptFailure | undefined;
      const startedMs = Date.now();
      deployment.started();
      try {
        const result = await deployment.pipeline.send(
          this.#pipelineRequest(deployment, (f) => (failure = f)),
          parse,
        );
        deployment.succeeded();
        return result;
      } catch (error) {
        this.#failed(deployment, failure ?? finalFailure(error), error, startedMs, this.#settings.timeoutMs);
      } finally {
        deployment.ended();
      }
    }
  }

  /**
   * A streamed call: resolves once a deployment's response headers arrive. A stream that fails
   * before its first update comes back to `reconnect`, which goes on with the next attempt (P5.10).
   */
  async openStream(): Promise<StreamSource> {
    const first = await this.#openOnNext();
    const settings = this.#settings;
    const user = this.observer;
    // The deployment whose response the stream reads, until the stream ends or fails over.
    let current: Deployment | undefined = first.deployment;
    let currentStartedMs = first.startedMs;
    // Its pipeline's view of the stream: the secrets to redact from errors raised inside it.
    let currentSource = first.source;
    let over = false;
    return {
      first: first.source.first,
      reconnect: async (failure: unknown) => {
        const failed = current!;
        current = undefined;
        failed.ended();
        this.#failed(failed, streamFailure(failure), failure, currentStartedMs, settings.idleTimeoutMs);
        const next = await this.#openOnNext();
        currentStartedMs = next.startedMs;
        if (over) next.deployment.ended();
        else current = next.deployment;
        currentSource = next.source;
        return next.source.first;
      },
      idleTimeoutMs: settings.idleTimeoutMs,
      abortSignal: settings.abortSignal,
      maxEventBytes: settings.maxEventBytes,
      maxResponseBytes: settings.maxResponseBytes,
      secrets: () => currentSource.secrets?.() ?? [],
      // The router learns when the stream is over (the deployment is no longer busy with it).
      observer: {
        update: user?.update === undefined ? undefined : (update) => notify(user.update, user, update),
        end: (end) => {
          over = true;
          current?.ended();
          current = undefined;
          if (user !== undefined) notify(user.end, user, end);
        },
      },
    };
  }

  async #openOnNext(): Promise<{ deployment: Deployment; source: StreamSource; startedMs: number }> {
    for (;;) {
      const deployment = await this.#choose();
      let failure: AttemptFailure | undefined;
      const startedMs = Date.now();
      deployment.started();
      try {
        const source = await deployment.pipeline.openStream(
          this.#pipelineRequest(deployment, (f) => (failure = f)),
        );
        deployment.succeeded();
        return { deployment, source, startedMs };
      } catch (error) {
        deployment.ended();
        this.#failed(deployment, failure ?? finalFailure(error), error, startedMs, this.#settings.timeoutMs);
      }
    }
  }

  #body(deployment: Deployment): PreparedBody {
    let body = this.#bodies.get(deployment);
    if (body === undefined) {
      body = this.#request.build(deployment);
      this.#bodies.set(deployment, body);
    }
    return body;
  }

  /** The attempt's request: no retry in place, the call's request id, attempts numbered across deployments. */
  #pipelineRequest(deployment: Deployment, onFailure: (failure: AttemptFailure) => void): PipelineRequest {
    const settings = this.#settings;
    const attempt = this.#attempt;
    const { body, passThrough } = this.#body(deployment);
    const { onResponse } = settings;
    const user = this.observer;
    return {
      method: "POST",
      path: this.#request.path,
      body,
      passThrough,
      settings: {
        ...settings,
        retry: { ...settings.retry, maxRetries: 0 },
        onResponse: onResponse === undefined ? undefined : (response) => onResponse({ ...response, attempt }),
      },
      requestId: this.#requestId,
      onFailure,
      observer:
        user === undefined
          ? undefined
          : {
              end: () => undefined,
              attemptStart: (start) =>
                notify(user.attemptStart, user, { ...start, attempt, deployment: deployment.name }),
              attemptEnd: (end) =>
                notify(user.attemptEnd, user, { ...end, attempt, deployment: deployment.name }),
            },
    };
  }

  /**
   * The deployment of the next attempt: the best available one, else the one that cools down
   * soonest, waited for when within `maxRetryDelayMs`; beyond that the call fails with a
   * `RateLimitError` whose `retryAfterMs` is that wait.
   */
  async #choose(): Promise<Deployment> {
    const settings = this.#settings;
    let waitedMs = 0;
    for (;;) {
      if (settings.abortSignal?.aborted)
        throw this.#finish(abortError(settings.abortSignal.reason, this.#details()));
      const now = Date.now();
      const choice = choose(this.#candidates, this.#core.strategy, now, Math.random());
      const deployment = this.#candidates[choice.index];
      if (choice.available) {
        this.#attempt++;
        const pending = this.#pending;
        if (pending !== undefined) {
          const waitSource: RetryWaitSource =
            waitedMs > 0 || pending.from === deployment
              ? (deployment.coolingSource ?? "backoff")
              : "failover";
          this.#retries.push({ ...pending.record, waitMs: waitedMs, waitSource });
          this.#pending = undefined;
        }
        return deployment;
      }
      if (choice.waitMs > settings.retry.maxRetryDelayMs) throw this.#coolingError(deployment, choice.waitMs);
      try {
        await sleep(choice.waitMs, settings.abortSignal);
      } catch (reason) {
        throw this.#finish(abortError(reason, this.#details()));
      }
      waitedMs += choice.waitMs;
    }
  }

  /**
   * After a failed attempt: cools the deployment down as the failure says, then throws the call's
   * error unless the call may go on (another attempt is allowed and the failure is the
   * deployment's, not the request's).
   */
  #failed(
    deployment: Deployment,
    failure: AttemptFailure | undefined,
    error: unknown,
    startedMs: number,
    timeoutMs: number,
  ): void {
    const settings = this.#settings;
    const statusCode = failure?.kind === "status" ? failure.statusCode : undefined;
    if (failure === undefined || failure.kind === "aborted") {
      throw this.#finish(withDeployment(error, deployment));
    }
    const verdict = judgeFailure(failure, deployment.failuresInRow + 1, settings.retry, {
      nowMs: Date.now(),
      random: Math.random(),
    });
    deployment.failed(verdict, statusCode, Date.now());
    this.#lastError = withDeployment(error, deployment);
    if (!verdict.failover || this.#attempt > settings.retry.maxRetries || settings.abortSignal?.aborted) {
      throw this.#finish(this.#lastError);
    }
    const durationMs = Date.now() - startedMs;
    const base = {
      attempt: this.#attempt,
      durationMs,
      deployment: deployment.name,
      waitMs: 0,
      waitSource: "failover",
    } as const;
    let record: RetryAttempt;
    if (failure.kind === "status") {
      const header = failure.header;
      const serviceRequestId = header("x-request-id") ?? header("apim-request-id") ?? undefined;
      record = { ...base, outcome: "status", statusCode: failure.statusCode, serviceRequestId };
    } else if (failure.kind === "timeout") {
      record = { ...base, outcome: "timeout", timeoutMs };
    } else {
      const e = error as Error;
      record = {
        ...base,
        outcome: "connection-error",
        errorName: e?.name ?? "Error",
        message: e?.message ?? String(e),
      };
    }
    this.#pending = { record, from: deployment };
  }

  #details() {
    return { requestId: this.#requestId, retries: [...this.#retries] };
  }

  /** The call's final error, with every retried attempt. */
  #finish(error: unknown): unknown {
    return withRetries(error, [...this.#retries]);
  }

  #coolingError(soonest: Deployment, waitMs: number): unknown {
    const names = this.#candidates.map((d) => d.name).join(", ");
    const which =
      this.#candidates.length === 1
        ? `The deployment "${soonest.name}" is`
        : `Every deployment (${names}) is`;
    const error = createHttpResponseError({
      statusCode: 429,
      headers: new Headers({ "retry-after-ms": String(waitMs) }),
      body: {
        error: {
          code: "deployments_cooling_down",
          message:
            `${which} cooling down; the soonest ("${soonest.name}") is available in ${waitMs} ms, ` +
            `longer than maxRetryDelayMs (${this.#settings.retry.maxRetryDelayMs} ms).`,
        },
      },
      requestId: this.#requestId,
      retries: [...this.#retries],
      retryAfterMs: waitMs,
      cause: this.#lastError,
    });
    return error;
  }
}

/** A failure the pipeline did not weigh: final, but a broken response still cools its deployment. */
function finalFailure(error: unknown): AttemptFailure | undefined {
  if (error instanceof AbortError) return { kind: "aborted" };
  if (error instanceof ServiceResponseError || error instanceof RequestTimeoutError)
    return { kind: "broken-response" };
  return undefined;
}

/** What a stream's failure before its first update means for the router (as the pipeline reads it). */
function streamFailure(failure: unknown): AttemptFailure | undefined {
  if (failure instanceof AbortError) return { kind: "aborted" };
  if (failure instanceof RequestTimeoutError) return { kind: "timeout" };
  if (failure instanceof ServiceResponseError || failure instanceof ServiceRequestError) {
    return { kind: "connection-error" };
  }
  if (failure instanceof HttpResponseError) {
    return { kind: "status", statusCode: failure.statusCode, header: (name) => failure.headers.get(name) };
  }
  return undefined;
}

function withDeployment(error: unknown, deployment: Deployment): unknown {
  if (typeof error === "object" && error !== null && "retries" in error) {
    (error as AiInferenceError).deployment = deployment.name;
  }
  return error;
}

/** The call with `model` set to a deployment's (typed options, or a raw object body); other raw bodies go as they are. */
export function withModel<T extends object>(call: T, model: string | undefined): T {
  if (model === undefined) return call;
  const body = (call as { body?: unknown }).body;
  if (body === undefined) return { ...call, model };
  if (typeof body === "object" && body !== null && !(body instanceof Uint8Array)) {
    return { ...call, body: { ...(body as object), model } };
  }
  return call;
}
