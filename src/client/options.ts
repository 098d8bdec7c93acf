// The clients' options (P1.10): the types users write, and the one function that validates them,
// fills in defaults and freezes the result, which is the only configuration used afterwards
// (style.md 2.4, ky's normalize.ts). Per-call request options override the client's in
// `resolveCallOptions`.
import type { Dispatcher } from "undici";
import type { ChatCompletionsOptions } from "../models/chat-completions-options.js";
import type { EmbeddingsCommonOptions } from "../models/embeddings-options.js";
import { type HeadersOption, checkHeadersOption } from "../internal/headers.js";
import { REDACTED, secretsOfHeaders, secretsOfUrl } from "../internal/redact.js";
import { detectRuntime, userAgentHeader } from "../internal/user-agent.js";
import type { FetchFunction } from "../internal/platform/transport-types.js";
import type { AuthHeaders } from "./credentials.js";
import { type EndpointKind, defaultCredentialScope, endpointKind } from "./endpoint-kind.js";
import type { RetrySettings } from "./retry-policy.js";
import {
  type ClientInstrumentation,
  type TracingOptions,
  checkInstrumentation,
  checkTracingOption,
} from "./instrumentation.js";

export type { HeadersOption } from "../internal/headers.js";
export type { FetchFunction } from "../internal/platform/transport-types.js";

/** A logger such as `console` or pino: the client writes one line per attempt (P3.4). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What `onResponse` sees of each attempt's response (P1.11, P7). */
export interface ResponseInfo {
  readonly status: number;
  readonly headers: Headers;
  /** The URL that answered (after redirects). */
  readonly url: string;
  /** Our `x-ms-client-request-id`. */
  readonly requestId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

/** Options every call takes besides its body; they override the client's (P1.10). */
export interface RequestOptions {
  /** Cancels the call at any point, closing the connection (P4.5). */
  abortSignal?: AbortSignal;
  /** Bounds each attempt; for a stream, until the response headers arrive (P4.4). @default 600000 */
  timeoutMs?: number;
  /** Fails a stream that sends nothing for this long (P5.11). @default 120000 */
  idleTimeoutMs?: number;
  /** Retries after the first attempt (P4.1). @default 3 */
  maxRetries?: number;
  /** Headers for this call; a `null` value removes a default (P2.5). */
  headers?: HeadersOption;
  /** Called once per attempt with the response's status and headers (P1.11, P7). */
  onResponse?: (response: ResponseInfo) => void;
  /**
   * The largest response body read, in bytes (for a stream, its whole body); a longer one fails
   * with `ResponseTooLargeError` without being read further. `Infinity` for no limit.
   * @default 268435456 (256 MiB: 2,048 embeddings of 3,072 floats fit)
   */
  maxResponseBytes?: number;
  /**
   * The largest single server-sent event of a stream, in bytes (P5.3); a larger one fails the
   * stream with `ResponseTooLargeError`. `Infinity` for no limit. @default 16777216 (16 MiB)
   */
  maxEventBytes?: number;
}

/** The options of every client (P1.10); each client adds its `defaults`. */
export interface ClientOptions {
  /**
   * The `api-version` query parameter; `null` sends none (OpenAI `/v1`, Ollama, vLLM). An
   * `api-version` already in the endpoint wins. @default "2024-05-01-preview"
   */
  apiVersion?: string | null;
  /** Body keys outside the schema, merged into every request (per-call extras win) (P1.5). */
  modelExtras?: Record<string, unknown>;
  /** Headers for every request; a `null` value removes a default (P2.5). */
  headers?: HeadersOption;
  /** Put before the SDK's own user agent. */
  userAgentPrefix?: string;
  /** Scopes asked of a token credential (P2.3). @default per host: cognitiveservices or ml.azure.com */
  credentialScopes?: string | readonly string[];
  /** Which headers carry a key credential. @default "both" */
  authHeaders?: AuthHeaders;
  /** Retries after the first attempt (P4.1). @default 3 */
  maxRetries?: number;
  /** The longest wait between attempts; a service asking for longer fails the call at once (P4.2). @default 60000 */
  maxRetryDelayMs?: number;
  /** The first backoff wait when the service names none; doubled at each retry, with jitter. @default 800 */
  retryDelayMs?: number;
  /** Bounds each attempt; for a stream, until the response headers arrive (P4.4). @default 600000 */
  timeoutMs?: number;
  /** Fails a stream that sends nothing for this long (P5.11). @default 120000 */
  idleTimeoutMs?: number;
  /**
   * The largest response body read, in bytes; a longer one fails with `ResponseTooLargeError`
   * without being read further. `Infinity` for no limit. @default 268435456 (256 MiB)
   */
  maxResponseBytes?: number;
  /**
   * The largest single server-sent event of a stream, in bytes (P5.3). `Infinity` for no limit.
   * @default 16777216 (16 MiB)
   */
  maxEventBytes?: number;
  /** Sends every request through this `fetch` (e.g. a local server's in-process `fetch`) (P1.11). */
  fetch?: FetchFunction;
  /** An HTTP proxy URL (Node.js only) (P2.7). */
  proxy?: string | URL;
  /** An undici dispatcher for every request (Node.js only; with `fetch`, passed as `init.dispatcher`). */
  dispatcher?: Dispatcher;
  /** Receives one line per attempt; bodies at debug level; secrets always redacted (P3.4). */
  logger?: Logger;
  /** OpenTelemetry tracing of this client's calls, with `ai-inference/tracing` loaded (docs/tracing.md). */
  tracing?: TracingOptions;
  /**
   * Observes every call and attempt of this client, in place of the instrumentation registered
   * for all clients (`registerInstrumentation`, which `ai-inference/tracing` uses) (docs/tracing.md).
   */
  instrumentation?: ClientInstrumentation;
}

/** Options of `ChatCompletionsClient`. */
export interface ChatCompletionsClientOptions extends ClientOptions {
  /** Chat options used when a call leaves them unset (P1.6). */
  defaults?: Partial<Omit<ChatCompletionsOptions, "messages">>;
}

/** Options of `EmbeddingsClient` and `ImageEmbeddingsClient`. */
export interface EmbeddingsClientOptions extends ClientOptions {
  /** Embeddings options used when a call leaves them unset. */
  defaults?: EmbeddingsCommonOptions;
}

/** The frozen configuration a client runs on. */
export interface NormalizedClientOptions {
  /** The endpoint without trailing slashes, query or fragment. */
  readonly baseUrl: string;
  readonly origin: string;
  /** The path of `baseUrl` (no trailing slash). */
  readonly basePath: string;
  /** The query string every request carries (`api-version` merged in), without `?`; may be empty. */
  readonly query: string;
  readonly apiVersion: string | null;
  readonly kind: EndpointKind;
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly modelExtras: Readonly<Record<string, unknown>> | undefined;
  /** The user agent header's name (`user-agent`, or `x-ms-useragent` in browsers) and value. */
  readonly userAgent: readonly [name: string, value: string];
  /** The client's headers, lowercase names; `null` removes a default. */
  readonly headers: Readonly<Record<string, string | null>>;
  readonly scopes: readonly string[];
  readonly authHeaders: AuthHeaders;
  readonly retry: RetrySettings;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxEventBytes: number;
  /**
   * The secret values this configuration holds (P3.3): the endpoint's userinfo and secret-named
   * query values, the values of the secret-named headers of `headers`. The credential's are added
   * at each request.
   */
  readonly secrets: readonly string[];
  readonly fetch: FetchFunction | undefined;
  readonly proxy: string | undefined;
  readonly dispatcher: object | undefined;
  readonly logger: Logger | undefined;
  readonly tracing: TracingOptions | undefined;
  readonly instrumentation: ClientInstrumentation | undefined;
}

export const DEFAULT_API_VERSION = "2024-05-01-preview";
const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;
const DEFAULT_RETRY: RetrySettings = Object.freeze({
  maxRetries: 3,
  maxRetryDelayMs: 60_000,
  retryDelayMs: 800,
});

const CLIENT_OPTION_KEYS = new Set([
  "apiVersion",
  "defaults",
  "modelExtras",
  "headers",
  "userAgentPrefix",
  "credentialScopes",
  "authHeaders",
  "maxRetries",
  "maxRetryDelayMs",
  "retryDelayMs",
  "timeoutMs",
  "idleTimeoutMs",
  "maxResponseBytes",
  "maxEventBytes",
  "fetch",
  "proxy",
  "dispatcher",
  "logger",
  "tracing",
  "instrumentation",
]);

/** The names a call may use for its request options (never sent in the body). */
export const REQUEST_OPTION_KEYS: ReadonlySet<string> = new Set([
  "abortSignal",
  "timeoutMs",
  "idleTimeoutMs",
  "maxRetries",
  "headers",
  "onResponse",
  "maxResponseBytes",
  "maxEventBytes",
]);

/**
 * Validates a client's endpoint and options and fills in defaults. `defaultKeys` are the option
 * names `defaults` may hold (the client's body options). Throws `TypeError`/`RangeError` naming
 * the option at fault.
 */
export function normalizeClientOptions(
  clientName: string,
  endpoint: unknown,
  options: ClientOptions & { defaults?: object } = {},
  defaultKeys: ReadonlySet<string>,
): NormalizedClientOptions {
  const url = parseEndpoint(clientName, endpoint);
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`new ${clientName}(endpoint, credential, options): options must be an object.`);
  }
  for (const key of Object.keys(options)) {
    if (!CLIENT_OPTION_KEYS.has(key)) {
      throw new TypeError(
        `new ${clientName}(): unknown option "${key}". Known options: ${[...CLIENT_OPTION_KEYS].join(", ")}.`,
      );
    }
  }
  const apiVersion = options.apiVersion === undefined ? DEFAULT_API_VERSION : options.apiVersion;
  if (apiVersion !== null && (typeof apiVersion !== "string" || apiVersion === "")) {
    throw new TypeError("apiVersion must be a non-empty string, or null to send none.");
  }
  const defaults = checkDefaults(options.defaults, defaultKeys);
  const modelExtras = checkExtras(options.modelExtras, "modelExtras");
  checkHeadersOption(options.headers, "headers");
  const userAgentPrefix = optionalString(options.userAgentPrefix, "userAgentPrefix");
  const scopes = checkScopes(options.credentialScopes) ?? [defaultCredentialScope(url)];
  const authHeaders = options.authHeaders ?? "both";
  if (!["both", "bearer", "api-key"].includes(authHeaders)) {
    throw new TypeError(
      `authHeaders must be "both", "bearer" or "api-key", got ${JSON.stringify(authHeaders)}.`,
    );
  }
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new TypeError("fetch must be a function with the signature of the global fetch.");
  }
  const proxy = checkProxy(options.proxy);
  if (
    options.dispatcher !== undefined &&
    typeof (options.dispatcher as { dispatch?: unknown }).dispatch !== "function"
  ) {
    throw new TypeError("dispatcher must be an undici Dispatcher (an object with a dispatch method).");
  }
  checkLogger(options.logger);
  if ((proxy !== undefined || options.dispatcher !== undefined) && options.fetch === undefined) {
    // Only the Node.js transport (undici) takes them; elsewhere a fetch option must do the routing.
    if (detectRuntime().name !== "Node.js") {
      throw new TypeError(
        `The ${proxy !== undefined ? "proxy" : "dispatcher"} option works on Node.js only; ` +
          "in this runtime, pass a fetch option that goes through your proxy.",
      );
    }
  }

  const query = new URLSearchParams(url.search);
  if (apiVersion !== null && !query.has("api-version")) query.set("api-version", apiVersion);
  const [userAgentName, userAgentValue] = userAgentHeader(userAgentPrefix);
  const basePath = url.pathname.replace(/\/+$/, "");
  const headers = copyHeaders(options.headers);
  return Object.freeze({
    baseUrl: `${url.origin}${basePath}`,
    origin: url.origin,
    basePath,
    query: query.toString(),
    apiVersion: query.get("api-version") ?? null,
    kind: endpointKind(url, apiVersion),
    defaults,
    modelExtras,
    userAgent: Object.freeze([userAgentName, userAgentValue] as const),
    headers: Object.freeze(headers),
    scopes: Object.freeze(scopes),
    authHeaders,
    retry: Object.freeze({
      maxRetries: count(options.maxRetries, "maxRetries") ?? DEFAULT_RETRY.maxRetries,
      maxRetryDelayMs:
        duration(options.maxRetryDelayMs, "maxRetryDelayMs", true) ?? DEFAULT_RETRY.maxRetryDelayMs,
      retryDelayMs: duration(options.retryDelayMs, "retryDelayMs", true) ?? DEFAULT_RETRY.retryDelayMs,
    }),
    timeoutMs: duration(options.timeoutMs, "timeoutMs") ?? DEFAULT_TIMEOUT_MS,
    idleTimeoutMs: duration(options.idleTimeoutMs, "idleTimeoutMs") ?? DEFAULT_IDLE_TIMEOUT_MS,
    maxResponseBytes: byteLimit(options.maxResponseBytes, "maxResponseBytes") ?? DEFAULT_MAX_RESPONSE_BYTES,
    maxEventBytes: byteLimit(options.maxEventBytes, "maxEventBytes") ?? DEFAULT_MAX_EVENT_BYTES,
    secrets: Object.freeze([...secretsOfUrl(url), ...secretsOfHeaders(headers)]),
    fetch: options.fetch,
    proxy,
    dispatcher: options.dispatcher,
    logger: options.logger,
    tracing: checkTracingOption(options.tracing),
    instrumentation: checkInstrumentation(options.instrumentation, "The instrumentation option"),
  });
}

/** A call's request options merged over the client's. */
export interface CallSettings {
  readonly abortSignal: AbortSignal | undefined;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly retry: RetrySettings;
  readonly headers: HeadersOption | undefined;
  readonly onResponse: ((response: ResponseInfo) => void) | undefined;
  readonly maxResponseBytes: number;
  readonly maxEventBytes: number;
}

/** Validates a call's request options and merges them over the client's (P1.10). */
export function resolveCallOptions(client: NormalizedClientOptions, call: RequestOptions): CallSettings {
  const { abortSignal, onResponse, headers } = call;
  if (abortSignal !== undefined && !isAbortSignal(abortSignal)) {
    throw new TypeError("abortSignal must be an AbortSignal (from an AbortController).");
  }
  if (onResponse !== undefined && typeof onResponse !== "function") {
    throw new TypeError("onResponse must be a function.");
  }
  checkHeadersOption(headers, "headers");
  const maxRetries = count(call.maxRetries, "maxRetries");
  return {
    abortSignal,
    onResponse,
    headers,
    timeoutMs: duration(call.timeoutMs, "timeoutMs") ?? client.timeoutMs,
    idleTimeoutMs: duration(call.idleTimeoutMs, "idleTimeoutMs") ?? client.idleTimeoutMs,
    retry: maxRetries === undefined ? client.retry : { ...client.retry, maxRetries },
    maxResponseBytes: byteLimit(call.maxResponseBytes, "maxResponseBytes") ?? client.maxResponseBytes,
    maxEventBytes: byteLimit(call.maxEventBytes, "maxEventBytes") ?? client.maxEventBytes,
  };
}

function parseEndpoint(clientName: string, endpoint: unknown): URL {
  if (endpoint === undefined || endpoint === null || endpoint === "") {
    throw new TypeError(`new ${clientName}(endpoint, credential): the endpoint is missing.`);
  }
  if (typeof endpoint !== "string" && !(endpoint instanceof URL)) {
    throw new TypeError(`new ${clientName}(endpoint, credential): the endpoint must be a URL string.`);
  }
  let url: URL;
  try {
    url = new URL(String(endpoint));
  } catch {
    throw new TypeError(
      `new ${clientName}(endpoint, credential): ${JSON.stringify(withoutCredentials(String(endpoint)))} is not a URL ` +
        '(expected e.g. "https://<name>.<region>.models.ai.azure.com").',
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`new ${clientName}(endpoint, credential): the endpoint must be http:// or https://.`);
  }
  return url;
}

/**
 * An endpoint that did not parse, for an error message, without what may be credentials (P3.3): the
 * user info before an "@" and the query, which the URL parser could not find for us.
 */
function withoutCredentials(endpoint: string): string {
  const query = endpoint.indexOf("?");
  let shown = query === -1 ? endpoint : `${endpoint.slice(0, query)}?${REDACTED}`;
  // Up to the last "@": a password that broke the parse may hold any character, "/" and "@" too.
  const authority = shown.indexOf("//") + 2;
  const at = shown.lastIndexOf("@");
  if (authority >= 2 && at >= authority) shown = `${shown.slice(0, authority)}${REDACTED}${shown.slice(at)}`;
  return shown;
}

/** A lowercase copy of a headers option that keeps its `null`s (they remove defaults at each request). */
function copyHeaders(headers: HeadersOption | undefined): Record<string, string | null> {
  const copy: Record<string, string | null> = {};
  if (headers === undefined) return copy;
  if (typeof Headers !== "undefined" && headers instanceof Headers) {
    headers.forEach((value, name) => (copy[name] = value));
    return copy;
  }
  for (const [name, value] of Object.entries(headers as Record<string, string | null | undefined>)) {
    if (value !== undefined) copy[name.toLowerCase()] = value;
  }
  return copy;
}

function checkDefaults(defaults: unknown, allowed: ReadonlySet<string>): Readonly<Record<string, unknown>> {
  if (defaults === undefined) return Object.freeze({});
  if (typeof defaults !== "object" || defaults === null || Array.isArray(defaults)) {
    throw new TypeError("defaults must be an object of options.");
  }
  for (const key of Object.keys(defaults)) {
    if (!allowed.has(key)) {
      throw new TypeError(
        `defaults.${key} is not an option that a call can leave unset (known: ${[...allowed].join(", ")}).`,
      );
    }
  }
  return Object.freeze({ ...defaults });
}

/** Validates a `modelExtras` object (client or call). */
export function checkExtras(extras: unknown, option: string): Readonly<Record<string, unknown>> | undefined {
  if (extras === undefined) return undefined;
  if (typeof extras !== "object" || extras === null || Array.isArray(extras)) {
    throw new TypeError(`${option} must be an object of body keys to JSON values.`);
  }
  return Object.freeze({ ...extras });
}

function checkScopes(scopes: unknown): string[] | undefined {
  if (scopes === undefined) return undefined;
  const list = typeof scopes === "string" ? [scopes] : scopes;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === "string" && s !== "")) {
    throw new TypeError("credentialScopes must be a scope string or a non-empty array of them.");
  }
  return [...list];
}

function checkProxy(proxy: unknown): string | undefined {
  if (proxy === undefined) return undefined;
  const text = proxy instanceof URL ? proxy.href : proxy;
  if (typeof text !== "string" || !URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
    throw new TypeError('proxy must be an http:// or https:// URL, e.g. "http://proxy.example:8080".');
  }
  return text;
}

function checkLogger(logger: unknown): void {
  if (logger === undefined) return;
  const methods = ["debug", "info", "warn", "error"] as const;
  if (
    typeof logger !== "object" ||
    logger === null ||
    !methods.every((m) => typeof (logger as Record<string, unknown>)[m] === "function")
  ) {
    throw new TypeError("logger must have debug, info, warn and error methods (console and pino do).");
  }
}

function optionalString(value: unknown, option: string): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  throw new TypeError(`${option} must be a string.`);
}

function count(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new TypeError(`${option} must be an integer.`);
  if (value < 0) throw new RangeError(`${option} must be 0 or more, got ${value}.`);
  return value;
}

/** A duration in milliseconds: positive (or zero when allowed); `Infinity` means no limit. */
function duration(value: unknown, option: string, allowZero = false): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || Number.isNaN(value))
    throw new TypeError(`${option} must be a number of milliseconds.`);
  if (value < 0 || (value === 0 && !allowZero)) {
    throw new RangeError(
      `${option} must be ${allowZero ? "0 or more" : "more than 0"} milliseconds, got ${value}.`,
    );
  }
  return value;
}

/** A size limit in bytes: a positive integer, or `Infinity` for none. */
function byteLimit(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || Number.isNaN(value))
    throw new TypeError(`${option} must be a number of bytes.`);
  if (value === Infinity) return value;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${option} must be a whole number of bytes, 1 or more (or Infinity), got ${value}.`);
  }
  return value;
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AbortSignal).aborted === "boolean" &&
    typeof (value as AbortSignal).addEventListener === "function"
  );
}
