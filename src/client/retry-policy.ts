// The retry decision of P4, as pure functions: what failed, how many retries are left, and the
// retry headers in; retry-or-fail and the wait out. The loop that sleeps and re-sends is in
// pipeline.ts (openai-node keeps the two apart the same way).
import type { RetryWaitSource } from "../errors.js";

/** The retry settings of a call, already normalized. */
export interface RetrySettings {
  /** Retries after the first attempt. @default 3 */
  readonly maxRetries: number;
  /** The longest wait the client accepts; a service asking for longer fails the call at once. @default 60000 */
  readonly maxRetryDelayMs: number;
  /** The first backoff wait, doubled at each retry, when no header says how long. @default 800 */
  readonly retryDelayMs: number;
}

/** What went wrong in one attempt. */
export type AttemptFailure =
  | { readonly kind: "status"; readonly statusCode: number; readonly header: (name: string) => string | null }
  /** The connection failed or broke before any response byte (or, for a stream, before any update). */
  | { readonly kind: "connection-error" }
  /** The attempt outlasted its timeout before any response byte (or, for a stream, before any update). */
  | { readonly kind: "timeout" }
  /** The connection broke while a non-streamed body was being read: the service did the work. */
  | { readonly kind: "broken-response" }
  | { readonly kind: "aborted" };

export type RetryDecision =
  | { readonly retry: true; readonly waitMs: number; readonly waitSource: RetryWaitSource }
  | {
      readonly retry: false;
      readonly reason: "not-retryable" | "exhausted" | "wait-too-long";
      /** The wait the service asked for, when it did. */
      readonly retryAfterMs?: number;
    };

/** The statuses retried by default (P4.1). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** The backoff never waits longer than this, whatever the settings (P4.2). */
export const MAX_BACKOFF_MS = 60_000;

/**
 * The wait a response asks for: `retry-after-ms`, then `x-ms-retry-after-ms` (milliseconds), then
 * `Retry-After` (seconds or an HTTP date). Values that are not a non-negative number or a date are
 * skipped, so a malformed header falls through to the next one or to the backoff.
 */
export function parseRetryAfter(
  header: (name: string) => string | null,
  nowMs: number,
): { readonly ms: number; readonly source: Exclude<RetryWaitSource, "backoff" | "failover"> } | undefined {
  for (const source of ["retry-after-ms", "x-ms-retry-after-ms"] as const) {
    const ms = parseNumber(header(source));
    if (ms !== undefined) return { ms: Math.ceil(ms), source };
  }
  const value = header("retry-after");
  if (value === null) return undefined;
  if (parseNumber(value) !== undefined) return { ms: secondsToMs(value), source: "retry-after" };
  // Every HTTP-date format starts with the day's name ("Sun, 06 Nov 1994 08:49:37 GMT").
  const date = /^\s*[A-Za-z]{3}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(date)) return undefined;
  return { ms: Math.max(0, date - nowMs), source: "retry-after" };
}

/**
 * Decimal seconds as milliseconds, exactly: `0.5` is 500 (not 1,000), `1.1` is 1,100 (not
 * 1,100.0000000000002 rounded up); digits past the millisecond round up.
 */
function secondsToMs(text: string): number {
  const [whole, fraction = ""] = text.trim().split(".");
  const ms = Number(whole) * 1000 + Number(fraction.slice(0, 3).padEnd(3, "0"));
  return /[1-9]/.test(fraction.slice(3)) ? ms + 1 : ms;
}

function parseNumber(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}

/**
 * The exponential backoff of retry number `retry` (1 for the first): `retryDelayMs` doubled at
 * each retry, scaled by a random 0.5–1.0 (jitter spreads clients that failed together), capped
 * at 60 s and at `maxRetryDelayMs`.
 */
export function backoffMs(retry: number, settings: RetrySettings, random: number): number {
  const exponential = settings.retryDelayMs * 2 ** Math.min(retry - 1, 30);
  const cap = Math.min(MAX_BACKOFF_MS, settings.maxRetryDelayMs);
  return Math.round(Math.min(cap, exponential * (0.5 + 0.5 * random)));
}

/**
 * Whether to retry after `failure`, which ended attempt number `retry` (so `retry - 1` retries were
 * already made), and how long to wait first.
 */
export function decideRetry(
  failure: AttemptFailure,
  retry: number,
  settings: RetrySettings,
  context: { readonly nowMs: number; readonly random: number },
): RetryDecision {
  const asked = failure.kind === "status" ? parseRetryAfter(failure.header, context.nowMs) : undefined;
  const retryAfterMs = asked?.ms;
  const retryable =
    failure.kind === "connection-error" ||
    failure.kind === "timeout" ||
    (failure.kind === "status" && RETRYABLE_STATUSES.has(failure.statusCode));
  if (!retryable) return { retry: false, reason: "not-retryable", retryAfterMs };
  if (retry > settings.maxRetries) return { retry: false, reason: "exhausted", retryAfterMs };
  if (asked !== undefined) {
    if (asked.ms > settings.maxRetryDelayMs) return { retry: false, reason: "wait-too-long", retryAfterMs };
    return { retry: true, waitMs: asked.ms, waitSource: asked.source };
  }
  return { retry: true, waitMs: backoffMs(retry, settings, context.random), waitSource: "backoff" };
}
