// The request pipeline (P2–P4): one place that sends every request, non-streamed or streamed, with
// the same headers, authentication, redirects, timeouts, retries, logging and errors. The retry
// decision itself is pure (retry-policy.ts); this file sleeps and re-sends.
import {
  AbortError,
  HttpResponseError,
  RequestTimeoutError,
  type RetryAttempt,
  ServiceRequestError,
  ServiceResponseError,
} from "../errors.js";
import type { StreamResponse, StreamSource } from "../streaming/stream-source.js";
import type { Transport, TransportResponse } from "../internal/platform/transport-types.js";
import type * as PlatformTransport from "#platform/transport";
import { linkAbort } from "../internal/abort.js";
import { mergeHeaders } from "../internal/headers.js";
import { redactUrl } from "../internal/redact.js";
import { sleep } from "../internal/sleep.js";
import { randomUUID } from "../internal/uuid.js";
import { type Credential, TokenCache, isTokenCredential } from "./credentials.js";
import { isLoopbackHost } from "./endpoint-kind.js";
import type { CallSettings, NormalizedClientOptions } from "./options.js";
import { type AttemptFailure, decideRetry, parseRetryAfter } from "./retry-policy.js";
import {
  type CallDetails,
  abortError,
  requestError,
  responseError,
  statusError,
  timeoutError,
  withRetries,
} from "./response-errors.js";
import { toStreamResponse } from "./stream-response.js";
import { sendFollowingRedirects } from "./redirects.js";
import { AttemptLog } from "./attempt-log.js";
import { type CallObserver, notify } from "./instrumentation.js";

/** One request as a client hands it to the pipeline. */
export interface PipelineRequest {
  readonly method: "GET" | "POST";
  /** Appended to the endpoint: `/chat/completions`. */
  readonly path: string;
  readonly body: string | Uint8Array | undefined;
  /** Whether to send `extra-parameters: pass-through` (P1.5). */
  readonly passThrough: boolean;
  readonly settings: CallSettings;
  /** A sentence appended to a 404's message (P6.1). */
  readonly notFoundSuffix?: string;
  /** Told of each attempt (docs/tracing.md). */
  readonly observer?: CallObserver;
  /** The `x-ms-client-request-id` to send, when one call spans several pipelines (a router's deployments). */
  readonly requestId?: string;
  /**
   * Told of each failure the retry policy weighs (a status, or a connection failure or timeout before
   * any response byte), before the policy decides: a router cools its deployment down by it.
   */
  readonly onFailure?: (failure: AttemptFailure) => void;
}

// setTimeout fires at once for delays beyond 2^31-1 ms; longer timeouts mean "no timer".
const MAX_TIMER_MS = 2 ** 31 - 1;

let platformTransport: Promise<typeof PlatformTransport> | undefined;

/** The state of one call across its attempts. */
interface Call {
  readonly request: PipelineRequest;
  readonly stream: boolean;
  readonly requestId: string;
  readonly url: string;
  readonly path: string;
  /** `POST https://host/path?query`, redacted, for messages and logs. */
  readonly what: string;
  readonly retries: RetryAttempt[];
  attempt: number;
  attemptStartedMs: number;
}

/** A 2xx response with the attempt's resources still held (a stream) or released (a body read). */
interface Success {
  readonly response: TransportResponse;
  readonly text: string | undefined;
  readonly release: () => void;
}

/**
 * How an attempt ended. A failure the retry policy weighs has `failure`; one without is final
 * (an abort, a broken body, a redirect problem, the caller's own callback throwing). Errors are
 * built only when needed, with the call's retry history as it stands then.
 */
type AttemptResult =
  | { readonly ok: true; readonly success: Success }
  | {
      readonly ok: false;
      readonly failure?: AttemptFailure;
      readonly error: () => Error;
      /** The status, or what failed, for the log line. */
      readonly outcome: number | string;
    };

/** Sends requests for one client. */
export class Pipeline {
  readonly #options: NormalizedClientOptions;
  readonly #credential: Credential;
  readonly #tokens: TokenCache | undefined;
  #transport: Transport | undefined;
  readonly #log: AttemptLog | undefined;
  /** `METHOD url` (redacted) per request path: the same few strings for every call. */
  readonly #described = new Map<string, string>();

  constructor(options: NormalizedClientOptions, credential: Credential) {
    this.#options = options;
    this.#credential = credential;
    this.#tokens = isTokenCredential(credential) ? new TokenCache(credential, options.scopes) : undefined;
    this.#transport = undefined;
    this.#log =
      options.logger === undefined ? undefined : new AttemptLog(options.logger, () => this.secrets());
  }

  /** The secret values in use (key, token), which must never be shown. */
  secrets(): string[] {
    const credential = this.#credential;
    if (this.#tokens !== undefined) return this.#tokens.current === undefined ? [] : [this.#tokens.current];
    return credential !== null && typeof (credential as { key?: unknown }).key === "string"
      ? [(credential as { key: string }).key]
      : [];
  }

  /** Sends a non-streamed request and parses its 2xx body with `parse` (a model's `fromJSON`). */
  async send<T>(request: PipelineRequest, parse: (text: string) => T): Promise<T> {
    const call = this.#startCall(request, false);
    const { response, text } = await this.#run(call);
    try {
      return parse(text!);
    } catch (error) {
      throw statusError(response.status, response.headers(), text!, this.#details(call), this.secrets(), {
        suffix: `(the ${response.status} response body is not the JSON object expected: ${(error as Error).message})`,
      });
    }
  }

  /**
   * Opens a streamed request (P5.7, P5.10): resolves once a 2xx response's headers arrive, after
   * retries as for any request, with `reconnect` re-sending through the same policy.
   */
  async openStream(request: PipelineRequest): Promise<StreamSource> {
    const call = this.#startCall(request, true);
    const first = await this.#runStream(call);
    return {
      first,
      reconnect: (failure: unknown) => this.#reconnect(call, failure),
      idleTimeoutMs: request.settings.idleTimeoutMs,
      abortSignal: request.settings.abortSignal,
    };
  }

  #startCall(request: PipelineRequest, stream: boolean): Call {
    const options = this.#options;
    const path = `${options.basePath}${request.path}${options.query === "" ? "" : `?${options.query}`}`;
    const url = `${options.origin}${path}`;
    if (this.#tokens !== undefined && url.startsWith("http:") && !isLoopbackHost(new URL(url).hostname)) {
      throw new ServiceRequestError(
        `Refusing to send a bearer token over plain http:// to ${new URL(url).host}: use https://, ` +
          "or a key credential if this server is trusted (P2.3).",
      );
    }
    return {
      request,
      stream,
      requestId: request.requestId ?? randomUUID(),
      url,
      path,
      what: this.#describe(request.method, url),
      retries: [],
      attempt: 0,
      attemptStartedMs: 0,
    };
  }

  /**
   * The transport, made on the first request: its platform module is loaded then, so that importing
   * the SDK loads one file (quality.md Q4, import row).
   */
  async #loadTransport(): Promise<Transport> {
    const platform = await (platformTransport ??= import("#platform/transport"));
    const options = this.#options;
    this.#transport ??=
      options.fetch !== undefined
        ? platform.createFetchTransport(options.fetch, options.dispatcher)
        : platform.createDefaultTransport({ proxy: options.proxy, dispatcher: options.dispatcher });
    return this.#transport;
  }

  #describe(method: string, url: string): string {
    const key = `${method} ${url}`;
    let described = this.#described.get(key);
    if (described === undefined) {
      described = `${method} ${redactUrl(url)}`;
      if (this.#described.size < 64) this.#described.set(key, described);
    }
    return described;
  }

  #details(call: Call): CallDetails {
    return { requestId: call.requestId, retries: [...call.retries] };
  }

  async #runStream(call: Call): Promise<StreamResponse> {
    const { response, release } = await this.#run(call);
    return toStreamResponse({
      response,
      requestId: call.requestId,
      what: call.what,
      abortSignal: call.request.settings.abortSignal,
      release,
      details: () => this.#details(call),
      secrets: () => this.secrets(),
    });
  }

  async #reconnect(call: Call, failure: unknown): Promise<StreamResponse> {
    const signal = call.request.settings.abortSignal;
    let kind: AttemptFailure | undefined;
    if (failure instanceof AbortError || signal?.aborted) kind = undefined;
    else if (failure instanceof RequestTimeoutError) kind = { kind: "timeout" };
    else if (failure instanceof ServiceResponseError || failure instanceof ServiceRequestError) {
      kind = { kind: "connection-error" };
    } else if (failure instanceof HttpResponseError) {
      kind = { kind: "status", statusCode: failure.statusCode, header: (name) => failure.headers.get(name) };
    }
    if (kind === undefined) throw withRetries(failure, [...call.retries]);
    const outcome = kind.kind === "status" ? kind.statusCode : kind.kind;
    await this.#afterFailure(
      call,
      kind,
      () => failure as Error,
      outcome,
      call.request.settings.idleTimeoutMs,
    );
    return this.#runStream(call);
  }

  /** Attempts until one succeeds or the policy gives up (then throws the final error). */
  async #run(call: Call): Promise<Success> {
    for (;;) {
      const result = await this.#attempt(call);
      if (result.ok) return result.success;
      if (result.failure === undefined) {
        this.#log?.attempt(call, result.outcome, Date.now() - call.attemptStartedMs, undefined);
        this.#attemptEnded(call, result.outcome);
        throw result.error();
      }
      await this.#afterFailure(
        call,
        result.failure,
        result.error,
        result.outcome,
        call.request.settings.timeoutMs,
      );
    }
  }

  /** Records a failed attempt and waits before the next one, or throws the call's final error. */
  async #afterFailure(
    call: Call,
    failure: AttemptFailure,
    error: () => Error,
    outcome: number | string,
    timeoutMs: number,
  ): Promise<void> {
    const settings = call.request.settings;
    const durationMs = Date.now() - call.attemptStartedMs;
    call.request.onFailure?.(failure);
    const decision = decideRetry(failure, call.attempt, settings.retry, {
      nowMs: Date.now(),
      random: Math.random(),
    });
    this.#log?.attempt(call, outcome, durationMs, decision);
    this.#attemptEnded(call, outcome);
    if (!decision.retry) throw withRetries(error(), [...call.retries]);
    const base = {
      attempt: call.attempt,
      durationMs,
      waitMs: decision.waitMs,
      waitSource: decision.waitSource,
    };
    if (failure.kind === "status") {
      const serviceRequestId =
        failure.header("x-request-id") ?? failure.header("apim-request-id") ?? undefined;
      call.retries.push({ ...base, outcome: "status", statusCode: failure.statusCode, serviceRequestId });
    } else if (failure.kind === "timeout") {
      call.retries.push({ ...base, outcome: "timeout", timeoutMs });
    } else {
      const built = error();
      call.retries.push({
        ...base,
        outcome: "connection-error",
        errorName: built.name,
        message: built.message,
      });
    }
    try {
      await sleep(decision.waitMs, settings.abortSignal);
    } catch (reason) {
      throw abortError(reason, this.#details(call));
    }
  }

  /** One attempt: auth, send, redirects, then the body (non-streamed) or the open response (streamed). */
  async #attempt(call: Call): Promise<AttemptResult> {
    const { request } = call;
    const settings = request.settings;
    const signal = settings.abortSignal;
    call.attempt++;
    call.attemptStartedMs = Date.now();
    const observer = request.observer;
    if (observer !== undefined) {
      notify(observer.attemptStart, observer, { attempt: call.attempt, requestId: call.requestId });
    }
    const aborted = (): AttemptResult => ({
      ok: false,
      outcome: "aborted",
      error: () => abortError(signal!.reason, this.#details(call)),
    });
    if (signal?.aborted) return aborted();
    let headers: Record<string, string>;
    try {
      headers = await this.#headers(call);
    } catch (error) {
      if (signal?.aborted) return aborted();
      this.#attemptEnded(call, "credential error");
      throw error; // the credential's own error, unchanged
    }
    this.#log?.request(call, request.body);

    const controller = new AbortController();
    const unlink = linkAbort(signal, controller);
    let timedOut = false;
    const timer =
      settings.timeoutMs <= MAX_TIMER_MS
        ? setTimeout(() => {
            timedOut = true;
            controller.abort(new Error("timeoutMs elapsed"));
          }, settings.timeoutMs)
        : undefined;
    const release = (): void => {
      clearTimeout(timer);
      unlink();
    };
    let phase: "send" | "body" = "send";
    try {
      const transport = this.#transport ?? (await this.#loadTransport());
      const response = await sendFollowingRedirects(transport, {
        url: call.url,
        origin: this.#options.origin,
        path: call.path,
        method: call.request.method,
        body: call.request.body,
        headers,
        signal: controller.signal,
      });
      if ("problem" in response) {
        release();
        const message = `${call.what} ${response.problem}`;
        return {
          ok: false,
          outcome: "redirect",
          error: () => new ServiceRequestError(message, this.#details(call)),
        };
      }
      const { status } = response;
      if (settings.onResponse !== undefined) {
        try {
          settings.onResponse({
            status,
            headers: response.headers(),
            url: response.url,
            requestId: call.requestId,
            attempt: call.attempt,
          });
        } catch (error) {
          response.close();
          release();
          return { ok: false, outcome: "onResponse threw", error: () => error as Error };
        }
      }
      phase = "body";
      if (status >= 200 && status < 300) {
        if (call.stream) {
          clearTimeout(timer); // from here on only the stream's idle timeout applies (P4.4)
          this.#log?.attempt(call, status, Date.now() - call.attemptStartedMs, undefined);
          this.#attemptEnded(call, status);
          return {
            ok: true,
            success: { response, text: undefined, release: () => (release(), controller.abort()) },
          };
        }
        const text = await response.text();
        release();
        this.#log?.attempt(call, status, Date.now() - call.attemptStartedMs, undefined, text);
        this.#attemptEnded(call, status);
        return { ok: true, success: { response, text, release } };
      }
      let text = "";
      try {
        text = await response.text();
      } catch (error) {
        if (timedOut || signal?.aborted) throw error;
      }
      release();
      const header = (name: string): string | null => response.header(name);
      return {
        ok: false,
        outcome: status,
        failure: { kind: "status", statusCode: status, header },
        error: () =>
          statusError(status, response.headers(), text, this.#details(call), this.secrets(), {
            suffix: status === 404 ? request.notFoundSuffix : undefined,
            retryAfterMs: parseRetryAfter(header, Date.now())?.ms,
          }),
      };
    } catch (error) {
      release();
      if (signal?.aborted) return aborted();
      const details = (): CallDetails => this.#details(call);
      if (timedOut) {
        const build = (): Error => timeoutError(call.what, settings.timeoutMs, call.stream, details());
        // Before any response byte a timeout is retried like a lost connection; mid-body it is final.
        return phase === "send"
          ? { ok: false, outcome: "timeout", failure: { kind: "timeout" }, error: build }
          : { ok: false, outcome: "timeout", error: build };
      }
      if (phase === "send") {
        return {
          ok: false,
          outcome: "connection error",
          failure: { kind: "connection-error" },
          error: () => requestError(call.what, error, details(), this.secrets()),
        };
      }
      return {
        ok: false,
        outcome: "connection broken",
        error: () => responseError(call.what, error, details(), this.secrets()),
      };
    }
  }

  /** Tells the call's observer, if any, that the current attempt ended. */
  #attemptEnded(call: Call, outcome: number | string): void {
    const observer = call.request.observer;
    if (observer === undefined) return;
    const { attempt, requestId } = call;
    const durationMs = Date.now() - call.attemptStartedMs;
    notify(observer.attemptEnd, observer, { attempt, requestId, outcome, durationMs });
  }

  /** The headers of one attempt (P2.5): defaults, auth, then the client's and the call's. */
  async #headers(call: Call): Promise<Record<string, string>> {
    const { request } = call;
    const headers: Record<string, string> = {
      accept: call.stream ? "text/event-stream" : "application/json",
      "x-ms-client-request-id": call.requestId,
    };
    if (request.body !== undefined) headers["content-type"] = "application/json";
    if (request.passThrough) headers["extra-parameters"] = "pass-through";
    const credential = this.#credential;
    if (this.#tokens !== undefined) {
      headers.authorization = `Bearer ${await this.#tokens.getToken(request.settings.abortSignal)}`;
    } else if (credential !== null) {
      const key = (credential as { key: string }).key; // read at every request: rotation reaches both headers
      const which = this.#options.authHeaders;
      if (which !== "api-key") headers.authorization = `Bearer ${key}`;
      if (which !== "bearer") headers["api-key"] = key;
    }
    const [userAgentName, userAgent] = this.#options.userAgent;
    headers[userAgentName] = userAgent;
    mergeHeaders(headers, this.#options.headers);
    return mergeHeaders(headers, request.settings.headers);
  }
}
