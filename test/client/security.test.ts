// P3.3, P3.4, P2.6 and quality.md Q3: no key or token in errors, logs, toString or inspect, even
// when a service echoes the request back; no credential sent to another origin after a redirect.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AzureKeyCredential,
  ChatCompletionsClient,
  EmbeddingsClient,
  HttpResponseError,
  type Logger,
} from "../../src/index.js";
import { type Handler, useLoopbackServer } from "../support/loopback-server.js";
import { hiMessages, okReply } from "../support/chat-replies.js";
import { assertNoSecrets } from "../support/secrets.js";
import { transports } from "../support/transports.js";

const messages = hiMessages;
const ok = okReply;
const KEY = "sk-live-0123456789abcdef";
const TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-token";

/** A service that echoes the request's headers back, in the status, headers and body it is given. */
const echo =
  (status: number): Handler =>
  (request, reply) =>
    reply({
      status,
      headers: { "x-echo-auth": String(request.headers.authorization) },
      body: {
        error: {
          message: `Invalid credentials ${request.headers["api-key"] ?? ""} ${request.headers.authorization}`,
          headers: request.headers,
        },
      },
    });

function recordingLogger(): Logger & { lines: [string, string][] } {
  const lines: [string, string][] = [];
  return {
    lines,
    debug: (m) => lines.push(["debug", m]),
    info: (m) => lines.push(["info", m]),
    warn: (m) => lines.push(["warn", m]),
    error: (m) => lines.push(["error", m]),
  };
}

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    test("Q3 an error from a service that echoes the key contains no key (message, inspect, toString, JSON)", async (t) => {
      const server = await useLoopbackServer(t, echo(401));
      const logger = recordingLogger();
      const client = new ChatCompletionsClient(server.url, new AzureKeyCredential(KEY), {
        ...transport.options,
        logger,
      });
      const error = await client.complete({ messages }).catch((e: unknown) => e);
      assert.ok(error instanceof HttpResponseError);
      assert.match(error.message, /^401 Invalid credentials \[REDACTED\] Bearer \[REDACTED\]/);
      assertNoSecrets(error, [KEY]);
      assertNoSecrets(logger.lines, [KEY]);
      assert.equal(server.requests[0].headers["api-key"], KEY, "the key itself was sent");
    });

    test("Q3 an error from a service that echoes the token contains no token", async (t) => {
      const server = await useLoopbackServer(t, echo(403));
      const logger = recordingLogger();
      const credential = {
        getToken: async () => ({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }),
      };
      const client = new EmbeddingsClient(server.url, credential, { ...transport.options, logger });
      const error = await client.embed({ input: ["a"] }).catch((e: unknown) => e);
      assert.ok(error instanceof HttpResponseError);
      assertNoSecrets(error, [TOKEN]);
      assertNoSecrets(logger.lines, [TOKEN]);
      assertNoSecrets(client, [TOKEN]);
    });

    test("Q3 retry histories and connection errors contain no key", async (t) => {
      const server = await useLoopbackServer(
        t,
        { status: 503, headers: { "retry-after-ms": "1" }, body: `overloaded, key ${KEY}` },
        { resetBeforeHeaders: true },
      );
      const logger = recordingLogger();
      const client = new ChatCompletionsClient(`${server.url}/?api-key=${KEY}`, new AzureKeyCredential(KEY), {
        ...transport.options,
        logger,
        maxRetries: 2,
        retryDelayMs: 1,
      });
      const error = await client.complete({ messages }).catch((e: unknown) => e);
      assert.equal((error as Error).name, "ServiceRequestError");
      assertNoSecrets(error, [KEY]);
      assertNoSecrets(logger.lines, [KEY]);
    });

    test("P2.6 a redirect to another origin drops Authorization and api-key, keeping other headers", async (t) => {
      const other = await useLoopbackServer(t, ok);
      const server = await useLoopbackServer(t, {
        status: 308,
        headers: { location: `${other.url}/moved/chat/completions` },
      });
      const client = new ChatCompletionsClient(server.url, new AzureKeyCredential(KEY), {
        ...transport.options,
        headers: { "x-custom": "1" },
      });
      assert.equal((await client.complete({ messages })).id, "1");
      const moved = other.requests[0];
      assert.equal(moved.path, "/moved/chat/completions");
      assert.equal(moved.headers.authorization, undefined);
      assert.equal(moved.headers["api-key"], undefined);
      assert.equal(moved.headers["x-custom"], "1");
      assert.deepEqual(moved.json(), { messages }, "308 keeps the method and body");
    });

    test("P2.6 a 303 answering a GET (getModelInfo) is followed as a GET", async (t) => {
      const server = await useLoopbackServer(t, (request, reply) =>
        request.path === "/info"
          ? reply({ status: 303, headers: { location: "/model-info" } })
          : reply({ body: { model_name: "m", model_type: "chat-completion", model_provider_name: "p" } }),
      );
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      assert.equal((await client.getModelInfo()).modelName, "m");
      assert.equal(server.requests[1].method, "GET");
      assert.equal(server.requests[1].path, "/model-info");
    });

    test("P3.4 the logger gets one line per attempt: method, URL, status, duration, retry decision; bodies at debug only", async (t) => {
      const server = await useLoopbackServer(
        t,
        { status: 503, headers: { "retry-after-ms": "1" }, body: "busy" },
        ok,
      );
      const logger = recordingLogger();
      const client = new ChatCompletionsClient(server.url, new AzureKeyCredential(KEY), {
        ...transport.options,
        logger,
      });
      await client.complete({ messages });
      const attempts = logger.lines.filter(([level]) => level !== "debug");
      assert.equal(attempts.length, 2);
      assert.equal(attempts[0][0], "warn");
      assert.match(
        attempts[0][1],
        /^ai-inference: POST http:\/\/127\.0\.0\.1:\d+\/chat\/completions\?api-version=2024-05-01-preview → 503 in \d+ ms \(attempt 1, request id [0-9a-f-]{36}\); retrying in 1 ms \(retry-after-ms\)$/,
      );
      assert.equal(attempts[1][0], "info");
      assert.match(attempts[1][1], / → 200 in \d+ ms \(attempt 2, /);
      const debug = logger.lines.filter(([level]) => level === "debug").map(([, line]) => line);
      assert.ok(
        debug.some((line) => line.includes('request body: {"messages":[{"role":"user","content":"hi"}]}')),
      );
      assert.ok(debug.some((line) => line.includes('response body: {"id":"1"')));
      assert.ok(
        attempts.every(([, line]) => !line.includes("messages")),
        "no body above debug",
      );
    });

    test("P3.4 a final failure is logged at error level with the reason", async (t) => {
      const server = await useLoopbackServer(t, { status: 400, body: { error: { message: "bad" } } });
      const logger = recordingLogger();
      await new ChatCompletionsClient(server.url, null, { ...transport.options, logger })
        .complete({ messages })
        .catch(() => {});
      const [[level, line]] = logger.lines.filter(([l]) => l !== "debug");
      assert.equal(level, "error");
      assert.match(line, / → 400 in \d+ ms .*; not retried \(not-retryable\)$/);
    });
  });
}

test("P2.6 where redirects are opaque (fetch in browsers), a redirect is an error that says so", async () => {
  // What a browser's fetch gives for redirect: "manual": an opaque response hiding status and target.
  const opaque = {
    type: "opaqueredirect",
    status: 0,
    headers: new Headers(),
    body: null,
    bodyUsed: false,
  } as unknown as Response;
  let calls = 0;
  const client = new ChatCompletionsClient("https://h.example", null, {
    fetch: async () => {
      calls++;
      return opaque;
    },
  });
  const error = await client.complete({ messages }).catch((e: unknown) => e);
  assert.equal((error as Error).name, "ServiceRequestError");
  assert.match((error as Error).message, /was redirected, and this runtime hides where to/);
  assert.equal(calls, 1, "not retried");
});
