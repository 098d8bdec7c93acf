// Q1.12 and Q1.13 (non-streamed parts): resets before and after the headers, a server that never
// answers, one that stalls after the headers, refused connections, aborts, and the HTTP stack's own
// timeouts shortened to prove that the client's timeoutMs is the limit in force (P4.4).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { Agent, request } from "undici";
import {
  AbortError,
  ChatCompletionsClient,
  RequestTimeoutError,
  ServiceRequestError,
  ServiceResponseError,
} from "../../src/index.js";
import { type ReplyPlan, startLoopbackServer, useLoopbackServer } from "../support/loopback-server.js";
import { transports } from "../support/transports.js";

const messages = [{ role: "user", content: "hi" }];
const completion = {
  id: "1",
  created: 1,
  model: "m",
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "ok" } }],
};
const ok: ReplyPlan = { body: completion };
const fast = { retryDelayMs: 1 };

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    const client = (url: string, options: object = {}) =>
      new ChatCompletionsClient(url, null, { ...transport.options, ...fast, ...options });

    test("Q1.12 a reset before the headers is retried", async (t) => {
      const server = await useLoopbackServer(t, { resetBeforeHeaders: true }, ok);
      assert.equal((await client(server.url).complete({ messages })).id, "1");
      assert.equal(server.requests.length, 2);
    });

    test("Q1.12 resets before the headers that outlast the retries end in ServiceRequestError with the history", async (t) => {
      const server = await useLoopbackServer(t, { resetBeforeHeaders: true });
      const error = (await client(server.url, { maxRetries: 2 })
        .complete({ messages })
        .catch((e: unknown) => e)) as ServiceRequestError;
      assert.ok(error instanceof ServiceRequestError, String(error));
      assert.match(
        error.message,
        /^Could not send POST http:\/\/127\.0\.0\.1:\d+\/chat\/completions\?api-version=2024-05-01-preview: /,
      );
      assert.equal(server.requests.length, 3);
      assert.deepEqual(
        error.retries.map((r) => [r.attempt, r.outcome, r.waitSource]),
        [
          [1, "connection-error", "backoff"],
          [2, "connection-error", "backoff"],
        ],
      );
      assert.equal(error.requestId, server.requests[0].headers["x-ms-client-request-id"]);
    });

    test("Q1.12 a reset after the headers is ServiceResponseError, not retried (the service did the work)", async (t) => {
      const server = await useLoopbackServer(
        t,
        { headers: { "content-length": "500" }, chunks: ['{"id": "1", "choi'], resetAfterHeaders: true },
        ok,
      );
      const error = await client(server.url)
        .complete({ messages })
        .catch((e: unknown) => e);
      assert.ok(error instanceof ServiceResponseError, String(error));
      assert.match(error.message, /^The connection broke while reading the response of POST /);
      assert.equal(server.requests.length, 1);
    });

    test("Q1.12 a server that accepts and never answers times out after timeoutMs, and the timeout is retried", async (t) => {
      const server = await useLoopbackServer(t, { neverAnswer: true });
      const error = (await client(server.url, { timeoutMs: 150, maxRetries: 1 })
        .complete({ messages })
        .catch((e: unknown) => e)) as RequestTimeoutError;
      assert.ok(error instanceof RequestTimeoutError, String(error));
      assert.match(error.message, /: no complete response within timeoutMs \(150 ms\)\.$/);
      // The client's own record proves the retry. The server's count only bounds it: on a starved
      // event loop (a busy machine) the 150 ms timer can fire before an attempt's bytes are written
      // or read, so an attempt may never reach the server, or reach it after the call has failed.
      assert.ok(server.requests.length <= 2, `at most two attempts, got ${server.requests.length}`);
      assert.deepEqual(
        error.retries.map((r) => r.outcome === "timeout" && r.timeoutMs),
        [150],
      );
    });

    test("Q1.12 a server that sends the headers and stalls times out, unretried", async (t) => {
      const server = await useLoopbackServer(t, {
        headers: { "content-type": "application/json" },
        chunks: ['{"id":'],
        stallAfterHeaders: true,
      });
      const error = await client(server.url, { timeoutMs: 200 })
        .complete({ messages })
        .catch((e: unknown) => e);
      assert.ok(error instanceof RequestTimeoutError, String(error));
      assert.equal(server.requests.length, 1);
    });

    test("P4.4 a call's timeoutMs overrides the client's", async (t) => {
      const server = await useLoopbackServer(t, { neverAnswer: true });
      const error = await client(server.url, { timeoutMs: 60_000 })
        .complete({ messages, timeoutMs: 100, maxRetries: 0 })
        .catch((e: unknown) => e);
      assert.ok(error instanceof RequestTimeoutError);
      assert.match((error as Error).message, /\(100 ms\)/);
    });

    test("Q1.12 a refused connection is ServiceRequestError after the retries", async () => {
      const closed = await startLoopbackServer();
      await closed.close();
      const error = await client(closed.url, { maxRetries: 1 })
        .complete({ messages })
        .catch((e: unknown) => e);
      assert.ok(error instanceof ServiceRequestError, String(error));
      assert.match((error as Error).message, /ECONNREFUSED/);
      assert.equal((error as ServiceRequestError).retries.length, 1);
    });

    test("P4.5 an already aborted signal rejects with AbortError and sends nothing", async (t) => {
      const server = await useLoopbackServer(t, ok);
      const reason = new Error("not now");
      const error = await client(server.url)
        .complete({ messages, abortSignal: AbortSignal.abort(reason) })
        .catch((e: unknown) => e);
      assert.ok(error instanceof AbortError);
      assert.equal((error as AbortError).cause, reason);
      assert.equal(server.requests.length, 0);
    });

    test("P4.5 aborting while waiting for the answer rejects with AbortError and closes the connection", async (t) => {
      let closed!: Promise<unknown>;
      const server = await useLoopbackServer(t, (_request, _reply, response) => {
        closed = once(response.socket!, "close");
      });
      const controller = new AbortController();
      const pending = client(server.url).complete({ messages, abortSignal: controller.signal });
      while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort();
      const error = await pending.catch((e: unknown) => e);
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(server.requests.length, 1, "an abort is not retried");
      await closed; // the server sees the connection close
    });

    test("P4.5 aborting while the body is being read rejects with AbortError", async (t) => {
      const server = await useLoopbackServer(t, {
        headers: { "content-type": "application/json" },
        chunks: ['{"id":'],
        stallAfterHeaders: true,
      });
      const controller = new AbortController();
      const error = await client(server.url)
        .complete({
          messages,
          abortSignal: controller.signal,
          onResponse: () => setTimeout(() => controller.abort(), 20),
        })
        .catch((e: unknown) => e);
      assert.ok(error instanceof AbortError, String(error));
    });
  });
}

test("Q1.13 timeoutMs is the limit in force even when the HTTP stack's own timeouts are shorter (undici dispatcher)", async (t) => {
  const slowHeaders = await useLoopbackServer(t, { delayMs: 1500, body: completion });
  const slowBody = await useLoopbackServer(t, {
    headers: { "content-type": "application/json" },
    chunks: ['{"id":"1",', '"choices":[]}'],
    pauseMs: 1500,
  });
  const dispatcher = new Agent({ headersTimeout: 1000, bodyTimeout: 1000 });
  t.after(() => dispatcher.close());

  // The stack's short timeouts really are in force for a plain request through this dispatcher...
  await assert.rejects(
    request(`${slowHeaders.url}/chat/completions`, { method: "POST", body: "{}", dispatcher }),
    (e: Error) => /Headers Timeout/i.test(e.message),
  );
  // ...and the client's timeoutMs (10 s) wins over them, for the headers and between body reads.
  const client = (url: string) =>
    new ChatCompletionsClient(url, null, { dispatcher, timeoutMs: 10_000, maxRetries: 0 });
  assert.equal((await client(slowHeaders.url).complete({ messages })).id, "1");
  assert.equal((await client(slowBody.url).complete({ messages })).id, "1");
});

test("Q1.13 the default undici transport has no stack timeouts shorter than the client's", async (t) => {
  // undici's defaults are 300 s; a short client timeoutMs must still fire on its own schedule.
  const server = await useLoopbackServer(t, { delayMs: 1200, body: completion });
  const client = new ChatCompletionsClient(server.url, null, { timeoutMs: 5000, maxRetries: 0 });
  assert.equal((await client.complete({ messages })).id, "1");
});
