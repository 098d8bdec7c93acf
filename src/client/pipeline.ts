// The request pipeline (P2–P4): one place that sends every request, non-streamed or streamed, with
// the same headers, authentication, redirects, timeouts, retries, logging and errors. The retry
// decision itself is pure (retry-policy.ts); this file sleeps and re-sends.
import {
  AbortError,
  HttpResponseError,
  RequestTimeoutError,
  ServiceRequestError,
  ServiceResponseError,
} from "../errors.js";
import type { StreamResponse, StreamSource } from "../streaming/stream-source.js";
import type { Transport, TransportResponse } from "../internal/platform/transport-types.js";
import type * as PlatformTransport from "#platform/transport";
import { declaredLength } from "../internal/platform/read-limited.js";
import { linkAbort } from "../internal/abort.js";
import { MAX_ERROR_BODY_BYTES } from "../internal/error-body.js";
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from "../internal/json-depth.js";
import { redactText, redactUrl } from "../internal/redact.js";
import { sleep } from "../internal/sleep.js";
import { randomUUID } from "../internal/uuid.js";
import type { Credential } from "./credentials.js";
import { isLoopbackHost } from "./endpoint-kind.js";
import type { NormalizedClientOptions } from "./options.js";
import { type AttemptFailure, decideRetry, parseRetryAfter } from "./retry-policy.js";
import { RequestHeaders } from "./request-headers.js";
import {
  type CallDetails,
  type TimeoutPhase,
  abortError,
  requestError,
  responseError,
  statusError,
  timeoutError,
  tooLargeError,
  withRetries,
} from "./response-errors.js";
import { streamFormat, toStreamResponse } from "./stream-response.js";
import { sendFollowingRedirects } from "./redirects.js";
import { AttemptLog } from "./attempt-log.js";
import type { AttemptResult, Call, PipelineRequest, Success } from "./pipeline-call.js";
import { notify } from "./instrumentation.js";

export type { PipelineRequest } from "./pipeline-call.js";

// setTimeout fires at once for delays beyond 2^31-1 ms; longer timeouts mean "no timer".
const MAX_TIMER_MS = 2 ** 31 - 1;

let platformTransport: Promise<typeof PlatformTransport> | undefined;

/** Sends requests for one client. */
export class Pipeline {
  readonly #options: NormalizedClientOptions;
  readonly #headers: RequestHeaders;
  #transport: Transport | undefined;
  readonly #log: AttemptLog | undefined;
  /** `METHOD url` (redacted) per request path: the same few strings for every call. */
  readonly #described = new Map<string, string>();

  constructor(options: NormalizedClientOptions, credential: Credential) {
    this.#options = options;
    this.#headers = new RequestHeaders(options, credential);
    this.#transport = undefined;
    this.#log = options.logger === undefined ? undefined : new AttemptLog(options.logger);
  }

  /** Sends a non-streamed request and parses its 2xx body with `parse` (a model's `fromJSON`). */
  async send<T>(request: PipelineRequest, parse: (text: string) => T): Promise<T> {
    const call = this.#startCall(request, false);
    const { response, text } = await this.#run(call);
    const unusable = (why: string): Error =>
      statusError(response.status, response.headers(), text!, this.#details(call), call.secrets(), {
        suffix: `(the ${response.status} response body ${why})`,
      });
    // Refused at the door: everything recursive after it (asDict(), JSON.stringify) would fail
    // with a bare RangeError.
    if (jsonNestsDeeperThan(text!)) {
      throw unusable(`nests more than ${MAX_JSON_DEPTH} levels deep, which the SDK does not accept`);
    }
    try {
      return parse(text!);
    } catch (error) {
      throw unusable(`is not the JSON object expected: ${(error as Error).message}`);
    }
  }

  /**
   * Opens a streamed request (P5.7, P5.10): resolves once a 2xx response's headers arrive, after
   * retries as for any request, with `reconnect` re-sending through the same policy.
   */
  async openStream(request: PipelineRequest): Promise<StreamSource> {
    const call = this.#startCall(request, true);
    const first = await this.#runStream(call);
    const { settings } = request;
    return {
      first,
      reconnect: (failure: unknown) => this.#reconnect(call, failure),
      idleTimeoutMs: settings.idleTimeoutMs,
      abortSignal: settings.abortSignal,
      maxEventBytes: settings.maxEventBytes,
      maxResponseBytes: settings.maxResponseBytes,
      secrets: () => call.secrets(),
    };
  }

  #startCall(request: PipelineRequest, stream: boolean): Call {
    const options = this.#options;
    const path = `${options.basePath}${request.path}${options.query === "" ? "" : `?${options.query}`}`;
    const url = `${options.origin}${path}`;
    if (this.#headers.usesTokens && url.startsWith("http:") && !isLoopbackHost(new URL(url).hostname)) {
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
      secrets: () => this.#headers.secretsOf(request.settings),
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
    const { response, format, release, abort } = await this.#run(call);
    return toStreamResponse({
      response,
      format,
      requestId: call.requestId,
      what: call.what,
      abortSignal: call.request.settings.abortSignal,
      release,
      abort,
      details: () => this.#details(call),
      secrets: () => call.secrets(),
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

  /**
   * One attempt: auth, send, redirects, then the body (non-streamed) or the open response
   * (streamed). `timeoutMs` bounds all of it from the attempt's start, getting a token included
   * (for a stream, up to the response headers).
   */
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
    const abort = (): void => controller.abort();
    let phase: TimeoutPhase = "token";
    try {
      const headers = await this.#headers.build(call, controller.signal);
      phase = "headers";
      this.#log?.request(call, request.body);
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
        const message = redactText(`${call.what} ${response.problem}`, call.secrets());
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
      phase = "response";
      if (status >= 200 && status < 300) {
        return call.stream
          ? await this.#openedStream(call, response, timer, release, abort)
          : await this.#readReply(call, response, release);
      }
      let text = "";
      let truncated = false;
      try {
        // The error's body is kept up to 64 KiB (P3.2); past that the connection is cut.
        const read = await response.readText(MAX_ERROR_BODY_BYTES);
        text = read.text;
        truncated = !read.complete;
        if (truncated) response.close();
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
          statusError(status, response.headers(), text, this.#details(call), call.secrets(), {
            suffix: status === 404 ? request.notFoundSuffix : undefined,
            retryAfterMs: parseRetryAfter(header, Date.now())?.ms,
            truncated,
          }),
      };
    } catch (error) {
      release();
      if (signal?.aborted) return aborted();
      const details = (): CallDetails => this.#details(call);
      if (timedOut) {
        const waitingFor = phase === "token" ? "token" : call.stream ? "headers" : "response";
        const build = (): Error => timeoutError(call.what, settings.timeoutMs, waitingFor, details());
        // Before any response byte a timeout is retried like a lost connection; mid-body it is final.
        return phase !== "response"
          ? { ok: false, outcome: "timeout", failure: { kind: "timeout" }, error: build }
          : { ok: false, outcome: "timeout", error: build };
      }
      if (phase === "token") {
        this.#attemptEnded(call, "credential error");
        throw error; // the credential's own error, unchanged
      }
      if (phase === "headers") {
        return {
          ok: false,
          outcome: "connection error",
          failure: { kind: "connection-error" },
          error: () => requestError(call.what, error, details(), call.secrets()),
        };
      }
      return {
        ok: false,
        outcome: "connection broken",
        error: () => responseError(call.what, error, details(), call.secrets()),
      };
    }
  }

  /** A non-streamed 2xx: its body, read up to `maxResponseBytes` (never further). */
  async #readReply(call: Call, response: TransportResponse, release: () => void): Promise<AttemptResult> {
    const limit = call.request.settings.maxResponseBytes;
    const declared = declaredLength(response.header("content-length"));
    const read = declared !== undefined && declared > limit ? undefined : await response.readText(limit);
    if (read === undefined || !read.complete) {
      response.close();
      release();
      return {
        ok: false,
        outcome: "too large",
        error: () => tooLargeError(call.what, limit, declared, this.#details(call)),
      };
    }
    release();
    // The connection is taken back a moment after the body's end: waiting for it lets the caller's
    // next request reuse it rather than open another.
    await response.released();
    const { status } = response;
    this.#log?.attempt(call, status, Date.now() - call.attemptStartedMs, undefined, read.text);
    this.#attemptEnded(call, status);
    const noop = (): void => {};
    return {
      ok: true,
      success: { response, text: read.text, format: "event-stream", release: noop, abort: noop },
    };
  }

  /**
   * A streamed 2xx, handed to the stream once its headers are in (P5.7): server-sent events, or one
   * JSON chat completion from a server that ignored `stream: true` (P5.3). Anything else is an
   * error that shows what came instead.
   */
  async #openedStream(
    call: Call,
    response: TransportResponse,
    timer: ReturnType<typeof setTimeout> | undefined,
    release: () => void,
    abort: () => void,
  ): Promise<AttemptResult> {
    const { status } = response;
    const contentType = response.header("content-type");
    const format = streamFormat(contentType);
    if (format === undefined) {
      const read = await response.readText(MAX_ERROR_BODY_BYTES);
      if (!read.complete) response.close();
      release();
      return {
        ok: false,
        outcome: status,
        error: () =>
          statusError(status, response.headers(), read.text, this.#details(call), call.secrets(), {
            suffix: `(a streamed request was answered with ${contentType}, not an event stream)`,
            truncated: !read.complete,
          }),
      };
    }
    clearTimeout(timer); // from here on only the stream's idle timeout applies (P4.4)
    this.#log?.attempt(call, status, Date.now() - call.attemptStartedMs, undefined);
    this.#attemptEnded(call, status);
    return { ok: true, success: { response, text: undefined, format, release, abort } };
  }

  /** Tells the call's observer, if any, that the current attempt ended. */
  #attemptEnded(call: Call, outcome: number | string): void {
    const observer = call.request.observer;
    if (observer === undefined) return;
    const { attempt, requestId } = call;
    const durationMs = Date.now() - call.attemptStartedMs;
    notify(observer.attemptEnd, observer, { attempt, requestId, outcome, durationMs });
  }
}
