// Q1.11 and P4.1–P4.3 over loopback: 429 and 503 with each kind of retry header, the cap, storms.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AbortError,
  ChatCompletionsClient,
  HttpResponseError,
  RateLimitError,
  type RetryAttempt,
} from "../../src/index.js";
import { type ReplyPlan, useLoopbackServer } from "../support/loopback-server.js";
import { hiMessages, okReply } from "../support/chat-replies.js";
import { transports } from "../support/transports.js";

const messages = hiMessages;
const ok = okReply;
const status = (code: number, headers: Record<string, string> = {}): ReplyPlan => ({
  status: code,
  headers,
  body: { error: { code: String(code), message: `status ${code}` } },
});
// Fast backoff for tests; the backoff's own numbers are checked in retry-policy.test.ts.
const fast = { retryDelayMs: 2 };

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    const client = (url: string, options: object = {}) =>
      new ChatCompletionsClient(url, null, { ...transport.options, ...fast, ...options });

    for (const [name, headers, source] of [
      ["retry-after-ms", { "retry-after-ms": "5" }, "retry-after-ms"],
      ["x-ms-retry-after-ms", { "x-ms-retry-after-ms": "5" }, "x-ms-retry-after-ms"],
      ["Retry-After in seconds", { "retry-after": "0" }, "retry-after"],
      ["Retry-After as an HTTP date", { "retry-after": new Date(0).toUTCString() }, "retry-after"],
      ["no header", {}, "backoff"],
    ] as const) {
      test(`P4.2 a 429 with ${name} is retried, and the attempt records which header set the wait`, async (t) => {
        const server = await useLoopbackServer(t, status(429, headers), ok);
        const seen: number[] = [];
        const result = await client(server.url).complete({
          messages,
          onResponse: (r) => seen.push(r.status),
        });
        assert.equal(result.id, "1");
        assert.deepEqual(seen, [429, 200]);
        assert.equal(server.requests.length, 2);
      });

      test(`P4.3 the retries history of a 503 storm with ${name}`, async (t) => {
        const server = await useLoopbackServer(t, status(503, { ...headers, "x-request-id": "svc" }));
        const error = (await client(server.url, { maxRetries: 2 })
          .complete({ messages })
          .catch((e: unknown) => e)) as HttpResponseError;
        assert.ok(error instanceof HttpResponseError && error.statusCode === 503, String(error));
        assert.equal(server.requests.length, 3, "P4.1 the first attempt and maxRetries retries");
        assert.equal(error.retries.length, 2);
        error.retries.forEach((attempt: RetryAttempt, i: number) => {
          assert.equal(attempt.attempt, i + 1);
          assert.equal(attempt.outcome, "status");
          assert.equal(attempt.waitSource, source);
          if (attempt.outcome === "status") {
            assert.equal(attempt.statusCode, 503);
            assert.equal(attempt.serviceRequestId, "svc");
          }
          assert.ok(attempt.durationMs >= 0 && attempt.waitMs >= 0);
        });
      });
    }

    for (const code of [408, 500, 502, 504]) {
      test(`P4.1 ${code} is retried`, async (t) => {
        const server = await useLoopbackServer(t, status(code), ok);
        assert.equal((await client(server.url).complete({ messages })).id, "1");
        assert.equal(server.requests.length, 2);
      });
    }

    for (const code of [400, 401, 403, 404, 409, 422]) {
      test(`P4.1 ${code} is not retried`, async (t) => {
        const server = await useLoopbackServer(t, status(code), ok);
        await assert.rejects(client(server.url).complete({ messages }), HttpResponseError);
        assert.equal(server.requests.length, 1);
      });
    }

    test("P4.2 a service asking for longer than maxRetryDelayMs fails at once with its status's class and the wait", async (t) => {
      const server = await useLoopbackServer(t, status(429, { "retry-after": "3600" }), ok);
      const error = (await client(server.url)
        .complete({ messages })
        .catch((e: unknown) => e)) as RateLimitError;
      assert.ok(error instanceof RateLimitError);
      assert.equal(error.retryAfterMs, 3_600_000);
      assert.equal(server.requests.length, 1);
      const other = await useLoopbackServer(t, status(503, { "retry-after-ms": "90000" }), ok);
      const unavailable = (await client(other.url)
        .complete({ messages })
        .catch((e: unknown) => e)) as HttpResponseError;
      assert.equal(unavailable.statusCode, 503);
      assert.equal(unavailable.retryAfterMs, 90_000);
      assert.equal(other.requests.length, 1);
    });

    test("P4.2 maxRetryDelayMs raises the cap", async (t) => {
      const server = await useLoopbackServer(t, status(429, { "retry-after-ms": "80" }), ok);
      assert.equal((await client(server.url, { maxRetryDelayMs: 100 }).complete({ messages })).id, "1");
      const capped = await useLoopbackServer(t, status(429, { "retry-after-ms": "80" }), ok);
      await assert.rejects(
        client(capped.url, { maxRetryDelayMs: 50 }).complete({ messages }),
        RateLimitError,
      );
    });

    test("P4.1 maxRetries per call overrides the client's; 0 disables retries", async (t) => {
      const server = await useLoopbackServer(t, status(503));
      await assert.rejects(
        client(server.url, { maxRetries: 5 }).complete({ messages, maxRetries: 0 }),
        HttpResponseError,
      );
      assert.equal(server.requests.length, 1);
    });

    test("P4.5 aborting during a retry wait rejects at once with AbortError", async (t) => {
      const server = await useLoopbackServer(t, status(503, { "retry-after": "30" }), ok);
      const controller = new AbortController();
      const reason = new Error("user gave up");
      const pending = client(server.url).complete({
        messages,
        abortSignal: controller.signal,
        onResponse: () => setTimeout(() => controller.abort(reason), 20),
      });
      const error = (await pending.catch((e: unknown) => e)) as AbortError;
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(error.cause, reason);
      assert.equal(error.retries.length, 1, "the attempt before the wait is recorded");
      assert.equal(server.requests.length, 1);
    });
  });
}
