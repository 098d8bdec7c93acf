/**
 * Every error the SDK throws on the client side (protocol.md P3), the one factory that maps a
 * status to its class, and the one extractor that finds the service's message in every body shape
 * real services send. `KeyError` belongs to the model layer and is re-exported here.
 */
import type { ChatCompletions } from "./models/chat-completions.js";
import { htmlText } from "./internal/html-text.js";

export { KeyError, isKeyError } from "./models/key-error.js";

/**
 * Which header set a retry's wait, or `backoff` when none did (P4.2); `failover` when a router sent
 * the next attempt at once to another deployment (`ai-inference/router`).
 */
export type RetryWaitSource =
  "retry-after-ms" | "x-ms-retry-after-ms" | "retry-after" | "backoff" | "failover";

/**
 * One failed attempt that was retried, as listed on the final error's `retries` (P4.3). A union
 * keyed by `outcome`, so each kind carries its own detail.
 */
export type RetryAttempt = {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** How long the attempt took, in milliseconds. */
  readonly durationMs: number;
  /** How long the client waited before the next attempt. */
  readonly waitMs: number;
  /** What decided the wait. */
  readonly waitSource: RetryWaitSource;
  /** The router deployment the attempt went to (`ai-inference/router`); unset for a client's own attempts. */
  readonly deployment?: string;
} & (
  | { readonly outcome: "status"; readonly statusCode: number; readonly serviceRequestId?: string }
  | { readonly outcome: "connection-error"; readonly errorName: string; readonly message: string }
  | { readonly outcome: "timeout"; readonly timeoutMs: number }
);

/** What every SDK error may carry besides its message. */
export interface ErrorDetails {
  /** Our `x-ms-client-request-id` for the call. */
  requestId?: string;
  /** The attempts retried before this error. */
  retries?: readonly RetryAttempt[];
  /** For a stream that failed after delivering updates: what had arrived, accumulated (P5.10). */
  partial?: ChatCompletions;
  cause?: unknown;
}

/** The base of the SDK's errors, for `catch` blocks that handle them all alike. */
export class AiInferenceError extends Error {
  override name = "AiInferenceError";
  /** Our `x-ms-client-request-id` for the call (also sent to the service). */
  readonly requestId: string | undefined;
  /** Every retried attempt before this error, oldest first. */
  readonly retries: readonly RetryAttempt[];
  /** A stream that broke after delivering updates keeps what arrived here, accumulated. */
  partial: ChatCompletions | undefined;
  /** The router deployment whose attempt ended in this error (`ai-inference/router`); unset for a client. */
  deployment: string | undefined = undefined;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.requestId = details.requestId;
    this.retries = details.retries ?? [];
    this.partial = details.partial;
  }
}

/** What the HTTP response errors are built from. */
export interface HttpResponseErrorInit extends ErrorDetails {
  statusCode: number;
  headers: Headers;
  /** The parsed JSON body, or the raw text when it is not JSON (`""` when empty). */
  body: unknown;
  /** The body was longer than the SDK keeps (64 KiB): `body` is its beginning, as raw text. */
  bodyTruncated?: boolean;
  /** A fixed sentence appended after the service's text (P3.2), e.g. P6.1's. */
  suffix?: string;
  /** The wait the service asked for (retry headers, P4.2), in milliseconds. */
  retryAfterMs?: number;
}

/** The service answered with a status other than 2xx, or sent an error inside a stream (P3.1, P5.4). */
export class HttpResponseError extends AiInferenceError {
  override name = "HttpResponseError";
  readonly statusCode: number;
  /** `error.code` of the body, else the `x-ms-error-code` header. */
  readonly code: string | undefined;
  /**
   * The parsed JSON body, or the raw text (when it is not JSON, nests more than 512 levels deep,
   * or was cut: see `bodyTruncated`).
   */
  readonly body: unknown;
  /** The body was longer than 64 KiB: `body` holds its first 64 KiB as raw text, unparsed. */
  readonly bodyTruncated: boolean;
  readonly headers: Headers;
  /** The service's own request id (`x-request-id` or `apim-request-id`). */
  readonly serviceRequestId: string | undefined;
  /**
   * The wait the service asked for, when it said (P4.2): set on every status, so that a call that
   * failed at once because the service asked for longer than `maxRetryDelayMs` says how long.
   */
  readonly retryAfterMs: number | undefined;

  constructor(init: HttpResponseErrorInit) {
    super(formatMessage(init.statusCode, init.body, init.suffix), init);
    this.statusCode = init.statusCode;
    this.retryAfterMs = init.retryAfterMs;
    this.body = init.body;
    this.bodyTruncated = init.bodyTruncated === true;
    this.headers = init.headers;
    this.code = findErrorCode(init.body) ?? init.headers.get("x-ms-error-code") ?? undefined;
    this.serviceRequestId =
      init.headers.get("x-request-id") ?? init.headers.get("apim-request-id") ?? undefined;
  }
}

/** 401 or 403: the key or token was refused. */
export class ClientAuthenticationError extends HttpResponseError {
  override name = "ClientAuthenticationError";
}

/** 404: the route or the deployment does not exist. */
export class ResourceNotFoundError extends HttpResponseError {
  override name = "ResourceNotFoundError";
}

/** 429: too many requests. */
export class RateLimitError extends HttpResponseError {
  override name = "RateLimitError";
  /** The `x-ratelimit-*` headers of the response. */
  readonly rateLimits: Readonly<Record<string, string>>;

  constructor(init: HttpResponseErrorInit) {
    super(init);
    const rateLimits: Record<string, string> = {};
    init.headers.forEach((value, key) => {
      if (key.startsWith("x-ratelimit-")) rateLimits[key] = value;
    });
    this.rateLimits = rateLimits;
  }
}

/** The request could not be sent: DNS, connection refused, TLS, a reset before any response byte. */
export class ServiceRequestError extends AiInferenceError {
  override name = "ServiceRequestError";
}

/** The connection broke while the response was being read. */
export class ServiceResponseError extends AiInferenceError {
  override name = "ServiceResponseError";
}

/** What a response that outgrew a limit was measured against. */
export interface ResponseTooLargeErrorInit extends ErrorDetails {
  /** The option that set the limit: `maxResponseBytes` (a whole body) or `maxEventBytes` (one event). */
  option: "maxResponseBytes" | "maxEventBytes";
  /** The limit in force, in bytes. */
  limitBytes: number;
}

/**
 * A response outgrew a limit and was not read further (the connection is closed): a body larger
 * than `maxResponseBytes`, or one server-sent event larger than `maxEventBytes`. Raise the option
 * (client or call) if the answer is expected to be that large.
 */
export class ResponseTooLargeError extends ServiceResponseError {
  override name = "ResponseTooLargeError";
  /** The option that set the limit. */
  readonly option: "maxResponseBytes" | "maxEventBytes";
  /** The limit in force, in bytes. */
  readonly limitBytes: number;

  constructor(message: string, init: ResponseTooLargeErrorInit) {
    super(message, init);
    this.option = init.option;
    this.limitBytes = init.limitBytes;
  }
}

/** An attempt outlasted `timeoutMs`, or a stream stayed silent for `idleTimeoutMs`. */
export class RequestTimeoutError extends AiInferenceError {
  override name = "RequestTimeoutError";
}

/** The caller aborted the call; `cause` is the signal's reason. */
export class AbortError extends AiInferenceError {
  override name = "AbortError";
}

// ---- structured outputs (ai-inference/structured) ------------------------------------------------
// Here rather than in the helper's folder so that the two helper subpaths and the SDK entry share one
// class each (`instanceof` holds whichever entry a user imports them from); they cost the entry a few
// hundred bytes.

/** One way a value fails a schema: where (keys and indexes from the root) and what. */
export interface SchemaIssue {
  readonly message: string;
  /** Object keys and array indexes from the root to the value at fault; empty for the root. */
  readonly path: readonly (string | number)[];
}

/** What every structured-output error is built from. */
export interface StructuredOutputErrorInit {
  /** The whole answer, for everything else it says. */
  completions: ChatCompletions;
  /** The choice that failed. */
  choiceIndex: number;
  cause?: unknown;
}

/**
 * `parse()` could not turn a choice into a value of the schema. The subclass says why; every one
 * keeps the raw `content` and the whole `completions`.
 */
export class StructuredOutputError extends AiInferenceError {
  override name = "StructuredOutputError";
  /** The answer whose choice failed. */
  readonly completions: ChatCompletions;
  readonly choiceIndex: number;
  /** The choice's raw text, `null` when it had none. */
  readonly content: string | null;
  /** The choice's `finish_reason`. */
  readonly finishReason: string | null;

  constructor(message: string, init: StructuredOutputErrorInit) {
    super(message, { cause: init.cause });
    this.completions = init.completions;
    this.choiceIndex = init.choiceIndex;
    const choice = init.completions.choices?.[init.choiceIndex];
    const content = choice?.message?.content;
    this.content = typeof content === "string" ? content : null;
    this.finishReason = choice?.finishReason ?? null;
  }
}

/** The answer was cut at the token limit (`finish_reason: "length"`), so its JSON is incomplete: raise `maxTokens`. */
export class StructuredOutputLengthError extends StructuredOutputError {
  override name = "StructuredOutputLengthError";
}

/** The model refused (a `refusal` text instead of content). */
export class StructuredOutputRefusalError extends StructuredOutputError {
  override name = "StructuredOutputRefusalError";
  /** The model's words. */
  readonly refusal: string;
  constructor(message: string, init: StructuredOutputErrorInit & { refusal: string }) {
    super(message, init);
    this.refusal = init.refusal;
  }
}

/** The content is not JSON (or there is none); `cause` is the `SyntaxError` when there was text. */
export class StructuredOutputJsonError extends StructuredOutputError {
  override name = "StructuredOutputJsonError";
}

/** The content is JSON that does not match the schema. */
export class StructuredOutputSchemaError extends StructuredOutputError {
  override name = "StructuredOutputSchemaError";
  /** Every way the value fails the schema. */
  readonly issues: readonly SchemaIssue[];
  /** The JSON value as parsed. */
  readonly value: unknown;
  constructor(
    message: string,
    init: StructuredOutputErrorInit & { issues: readonly SchemaIssue[]; value: unknown },
  ) {
    super(message, init);
    this.issues = init.issues;
    this.value = init.value;
  }
}

/** Builds the error class for a status (P3.1). The only place that switches on status codes. */
export function createHttpResponseError(init: HttpResponseErrorInit): HttpResponseError {
  const status = init.statusCode;
  if (status === 401 || status === 403) return new ClientAuthenticationError(init);
  if (status === 404) return new ResourceNotFoundError(init);
  if (status === 429) return new RateLimitError(init);
  return new HttpResponseError(init);
}

export const isAiInferenceError = (error: unknown): error is AiInferenceError =>
  error instanceof AiInferenceError;
export const isHttpResponseError = (error: unknown): error is HttpResponseError =>
  error instanceof HttpResponseError;
export const isClientAuthenticationError = (error: unknown): error is ClientAuthenticationError =>
  error instanceof ClientAuthenticationError;
export const isResourceNotFoundError = (error: unknown): error is ResourceNotFoundError =>
  error instanceof ResourceNotFoundError;
export const isRateLimitError = (error: unknown): error is RateLimitError => error instanceof RateLimitError;
export const isServiceRequestError = (error: unknown): error is ServiceRequestError =>
  error instanceof ServiceRequestError;
export const isServiceResponseError = (error: unknown): error is ServiceResponseError =>
  error instanceof ServiceResponseError;
export const isResponseTooLargeError = (error: unknown): error is ResponseTooLargeError =>
  error instanceof ResponseTooLargeError;
export const isRequestTimeoutError = (error: unknown): error is RequestTimeoutError =>
  error instanceof RequestTimeoutError;
export const isAbortError = (error: unknown): error is AbortError => error instanceof AbortError;
export const isStructuredOutputError = (error: unknown): error is StructuredOutputError =>
  error instanceof StructuredOutputError;
export const isStructuredOutputLengthError = (error: unknown): error is StructuredOutputLengthError =>
  error instanceof StructuredOutputLengthError;
export const isStructuredOutputRefusalError = (error: unknown): error is StructuredOutputRefusalError =>
  error instanceof StructuredOutputRefusalError;
export const isStructuredOutputJsonError = (error: unknown): error is StructuredOutputJsonError =>
  error instanceof StructuredOutputJsonError;
export const isStructuredOutputSchemaError = (error: unknown): error is StructuredOutputSchemaError =>
  error instanceof StructuredOutputSchemaError;

// ---- the service's message -------------------------------------------------------------------

const MAX_SERVICE_TEXT = 500;

function formatMessage(status: number, body: unknown, suffix: string | undefined): string {
  const text = findServiceMessage(body) ?? "(the response had no body)";
  const clipped = text.length > MAX_SERVICE_TEXT ? `${clip(text, MAX_SERVICE_TEXT)}…` : text;
  return suffix === undefined ? `${status} ${clipped}` : `${status} ${clipped} ${suffix}`;
}

/**
 * Finds the service's own words in an error body, in every shape seen from real services (P3.2):
 * `{error: {message}}`, `{error: "text"}`, `{statusCode, message}`, `{message}`, `{detail}`,
 * `{status: "text"}`, plain text, an HTML page. Text is returned verbatim (a JSON string inside
 * `message` is not re-parsed); an HTML page is reduced to its visible text, in linear time. Never
 * throws, whatever the body (a value nested too deeply to print is described instead).
 */
export function findServiceMessage(body: unknown): string | undefined {
  if (typeof body === "string") {
    const text = looksLikeHtml(body) ? htmlText(body) : body.trim();
    return text === "" ? undefined : text;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return body === undefined || body === null ? undefined : printed(body);
  }
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === "object" && error !== null && !Array.isArray(error)) {
    const message = (error as Record<string, unknown>).message;
    if (typeof message === "string" && message !== "") return message;
  }
  for (const candidate of [error, record.message, record.detail, record.status, record.title]) {
    if (typeof candidate === "string" && candidate !== "") return candidate;
  }
  // FastAPI puts a list of issues under `detail`.
  if (Array.isArray(record.detail)) return printed(record.detail);
  return printed(body);
}

/** JSON text of a value for a message; a value JSON cannot show (too deep for the stack) is described. */
function printed(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return "(a body that cannot be shown as JSON: nested too deeply, or not plain data)";
  }
}

/** The first `length` characters, without splitting a surrogate pair. */
function clip(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

function findErrorCode(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const error = (body as Record<string, unknown>).error;
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as Record<string, unknown>).code;
  return typeof code === "string" || typeof code === "number" ? String(code) : undefined;
}

function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype\s+html|html|head|body)\b/i.test(text);
}
