// Turns what went wrong in an attempt into the SDK's errors (P3.1). Statuses go through the one
// factory in errors.ts; secrets the service may echo back are removed from bodies first (P3.3).
import {
  AbortError,
  type AiInferenceError,
  type HttpResponseError,
  type RetryAttempt,
  RequestTimeoutError,
  ResponseTooLargeError,
  ServiceRequestError,
  ServiceResponseError,
  createHttpResponseError,
} from "../errors.js";
import { redactedErrorBody } from "../internal/error-body.js";
import { redactHeaderValues, redactText } from "../internal/redact.js";

/** The details every error of a call carries. */
export interface CallDetails {
  readonly requestId: string;
  readonly retries: readonly RetryAttempt[];
}

/**
 * The error for a response with status `statusCode` (or a 2xx whose body could not be used), from
 * the body's text as read (`truncated`: the read stopped at the error body limit, P3.2).
 */
export function statusError(
  statusCode: number,
  headers: Headers,
  text: string,
  details: CallDetails,
  secrets: readonly string[],
  extra: { suffix?: string; retryAfterMs?: number; truncated?: boolean } = {},
): HttpResponseError {
  const { body, truncated } = redactedErrorBody(text, secrets, extra.truncated);
  return createHttpResponseError({
    statusCode,
    headers: redactHeaderValues(headers, secrets),
    body,
    bodyTruncated: truncated,
    requestId: details.requestId,
    retries: details.retries,
    suffix: extra.suffix,
    retryAfterMs: extra.retryAfterMs,
  });
}

/** The caller aborted: the error says so, and `cause` is the signal's reason (P4.5). */
export function abortError(reason: unknown, details: CallDetails): AbortError {
  return new AbortError("The call was aborted.", { ...details, cause: reason });
}

/** What an attempt was waiting for when `timeoutMs` ran out. */
export type TimeoutPhase = "token" | "headers" | "response";

export function timeoutError(
  what: string,
  timeoutMs: number,
  phase: TimeoutPhase,
  details: CallDetails,
): RequestTimeoutError {
  const missing =
    phase === "token"
      ? "the token credential gave no token"
      : phase === "headers"
        ? "no response headers"
        : "no complete response";
  return new RequestTimeoutError(`${what}: ${missing} within timeoutMs (${timeoutMs} ms).`, details);
}

/** A body larger than `maxResponseBytes` (P1.10): not read further, never retried. */
export function tooLargeError(
  what: string,
  limitBytes: number,
  declaredBytes: number | undefined,
  details: CallDetails,
): ResponseTooLargeError {
  const declared = declaredBytes === undefined ? "" : ` (its content-length says ${declaredBytes})`;
  return new ResponseTooLargeError(
    `${what}: the response body is larger than maxResponseBytes (${limitBytes} bytes)${declared}; ` +
      "it was not read further. Raise maxResponseBytes (a client or call option) if the answer is " +
      "expected to be this large.",
    { ...details, option: "maxResponseBytes", limitBytes },
  );
}

/** The connection failed before any response byte (DNS, refused, TLS, reset). */
export function requestError(
  what: string,
  cause: unknown,
  details: CallDetails,
  secrets: readonly string[],
): ServiceRequestError {
  return new ServiceRequestError(redactText(`Could not send ${what}: ${describeCause(cause)}`, secrets), {
    ...details,
    cause,
  });
}

/** The connection broke while the response body was being read. */
export function responseError(
  what: string,
  cause: unknown,
  details: CallDetails,
  secrets: readonly string[],
): ServiceResponseError {
  return new ServiceResponseError(
    redactText(
      `The connection broke while reading the response of ${what}: ${describeCause(cause)}`,
      secrets,
    ),
    { ...details, cause },
  );
}

/** Gives an error built earlier (a stream's) the call's retry history, which it lacked. */
export function withRetries<E>(error: E, retries: readonly RetryAttempt[]): E {
  if (typeof error === "object" && error !== null && "retries" in error) {
    (error as { retries: readonly RetryAttempt[] }).retries = retries;
  }
  return error;
}

/** The most telling message of an error and its causes (`fetch failed` says little; its cause says why). */
export function describeCause(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const message = e instanceof Error ? e.message : String(e);
    const code = (e as { code?: unknown }).code;
    const text = typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message;
    if (text !== "" && !parts.includes(text)) parts.push(text);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.length === 0 ? "unknown error" : parts.join(": ");
}

export type { AiInferenceError };
