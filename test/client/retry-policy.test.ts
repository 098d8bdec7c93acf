import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type AttemptFailure,
  type RetrySettings,
  backoffMs,
  decideRetry,
  parseRetryAfter,
} from "../../src/client/retry-policy.js";

const settings: RetrySettings = { maxRetries: 3, maxRetryDelayMs: 60_000, retryDelayMs: 800 };
const context = { nowMs: Date.parse("2025-01-09T02:17:51Z"), random: 1 };
const headers =
  (values: Record<string, string>) =>
  (name: string): string | null =>
    values[name] ?? null;
const status = (statusCode: number, values: Record<string, string> = {}): AttemptFailure => ({
  kind: "status",
  statusCode,
  header: headers(values),
});

test("P4.1 retries 408, 429, 500, 502, 503, 504 and no other status", () => {
  for (const code of [408, 429, 500, 502, 503, 504])
    assert.equal(decideRetry(status(code), 1, settings, context).retry, true);
  for (const code of [400, 401, 403, 404, 409, 422, 501, 505]) {
    assert.deepEqual(decideRetry(status(code), 1, settings, context), {
      retry: false,
      reason: "not-retryable",
      retryAfterMs: undefined,
    });
  }
});

test("P4.1 retries connection errors and timeouts before any response byte, never a broken body or an abort", () => {
  assert.equal(decideRetry({ kind: "connection-error" }, 1, settings, context).retry, true);
  assert.equal(decideRetry({ kind: "timeout" }, 1, settings, context).retry, true);
  assert.equal(decideRetry({ kind: "broken-response" }, 1, settings, context).retry, false);
  assert.equal(decideRetry({ kind: "aborted" }, 1, settings, context).retry, false);
});

test("P4.1 stops after maxRetries retries", () => {
  assert.equal(decideRetry(status(503), 3, settings, context).retry, true);
  assert.deepEqual(decideRetry(status(503), 4, settings, context), {
    retry: false,
    reason: "exhausted",
    retryAfterMs: undefined,
  });
  assert.equal(decideRetry(status(503), 1, { ...settings, maxRetries: 0 }, context).retry, false);
});

test("P4.2 the wait honours retry-after-ms, then x-ms-retry-after-ms, then Retry-After", () => {
  const all = { "retry-after-ms": "250", "x-ms-retry-after-ms": "500", "retry-after": "2" };
  assert.deepEqual(parseRetryAfter(headers(all), context.nowMs), { ms: 250, source: "retry-after-ms" });
  const { ["retry-after-ms"]: _a, ...two } = all;
  assert.deepEqual(parseRetryAfter(headers(two), context.nowMs), { ms: 500, source: "x-ms-retry-after-ms" });
  assert.deepEqual(parseRetryAfter(headers({ "retry-after": "2" }), context.nowMs), {
    ms: 2000,
    source: "retry-after",
  });
  assert.deepEqual(decideRetry(status(429, all), 1, settings, context), {
    retry: true,
    waitMs: 250,
    waitSource: "retry-after-ms",
  });
});

test("P4.2 Retry-After as an HTTP date; a date in the past means no wait", () => {
  const inTenSeconds = new Date(context.nowMs + 10_000).toUTCString();
  assert.deepEqual(parseRetryAfter(headers({ "retry-after": inTenSeconds }), context.nowMs), {
    ms: 10_000,
    source: "retry-after",
  });
  const past = new Date(context.nowMs - 10_000).toUTCString();
  assert.deepEqual(parseRetryAfter(headers({ "retry-after": past }), context.nowMs), {
    ms: 0,
    source: "retry-after",
  });
});

test("P4.2 malformed retry headers fall through to the next header, then to the backoff", () => {
  assert.deepEqual(
    parseRetryAfter(headers({ "retry-after-ms": "soon", "retry-after": "1" }), context.nowMs),
    {
      ms: 1000,
      source: "retry-after",
    },
  );
  assert.equal(parseRetryAfter(headers({ "retry-after": "-5" }), context.nowMs), undefined);
  assert.equal(parseRetryAfter(headers({ "retry-after": "tomorrow-ish" }), context.nowMs), undefined);
  assert.equal(
    decideRetry(status(503, { "retry-after": "x" }), 1, settings, context).retry && "backoff",
    "backoff",
  );
});

test("P4.2 a service asking for longer than maxRetryDelayMs fails the call at once, carrying the wait", () => {
  const decision = decideRetry(status(429, { "retry-after": "120" }), 1, settings, context);
  assert.deepEqual(decision, { retry: false, reason: "wait-too-long", retryAfterMs: 120_000 });
  const within = decideRetry(
    status(429, { "retry-after": "120" }),
    1,
    { ...settings, maxRetryDelayMs: 200_000 },
    context,
  );
  assert.deepEqual(within, { retry: true, waitMs: 120_000, waitSource: "retry-after" });
});

test("P4.2 a 429 without a header is retried with backoff", () => {
  assert.deepEqual(decideRetry(status(429), 1, settings, context), {
    retry: true,
    waitMs: 800,
    waitSource: "backoff",
  });
});

test("P4.2 backoff: 0.8 s, 1.6 s, 3.2 s..., scaled by 0.5–1.0, capped at 60 s", () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => backoffMs(n, settings, 1)),
    [800, 1600, 3200, 6400],
  );
  assert.deepEqual(
    [1, 2, 3].map((n) => backoffMs(n, settings, 0)),
    [400, 800, 1600],
  );
  assert.equal(backoffMs(20, settings, 1), 60_000);
  assert.equal(backoffMs(20, { ...settings, maxRetryDelayMs: 5000 }, 1), 5000);
  for (let i = 0; i < 100; i++) {
    const wait = backoffMs(2, settings, Math.random());
    assert.ok(wait >= 800 && wait <= 1600, `${wait}`);
  }
});
