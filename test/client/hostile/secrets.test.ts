// Issue 9, "secrets never leave" (P3.3, P3.4, Q3): one scan, for a canary key, a canary query
// secret and canary secret headers, of every failure path a hostile server can cause (non-streamed,
// streamed before and after the first update, retries exhausted, timeouts, redirects), across the
// error's message, toString(), util.inspect, JSON.stringify and retries, the logger's output and
// the tracing spans. The server echoes back everything it received, everywhere it can.
import { after, afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import type { ServerResponse } from "node:http";
import {
  AiInferenceError,
  AzureKeyCredential,
  ChatCompletionsClient,
  type ChatCompletionsClientOptions,
  type Logger,
} from "../../../src/index.js";
import { disableTracing, enableTracing } from "../../../src/helpers/tracing/index.js";
import { type Handler, type RecordedRequest, useLoopbackServer } from "../../support/loopback-server.js";
import { hiMessages } from "../../support/chat-replies.js";
import { recordSpans, spanTexts } from "../../support/spans.js";
import { transports } from "../../support/transports.js";

const CANARY_KEY = "sk-canary-key-0123456789abcdef";
const CANARY_QUERY = "canary-query-secret-42";
/** A user-set secret header of 6 characters: redacted where it stands as a whole word. */
const CANARY_HEADER = "Zq7Wx2";
/** A cookie the user set. */
const CANARY_COOKIE = "canary-cookie-value-77";
/** The endpoint's user info (never sent: requests go to the endpoint's origin). */
const CANARY_USERINFO = "canary-userinfo-pw-31";
const CANARIES = [CANARY_KEY, CANARY_QUERY, CANARY_HEADER, CANARY_COOKIE, CANARY_USERINFO];

/** Everything the request carried, as text a careless service would echo. */
function echoOf(request: RecordedRequest): string {
  return `${request.url} ${JSON.stringify(request.headers)} key ${request.headers["api-key"]} header ${request.headers["x-subscription-token"]}`;
}

const echoStatus =
  (status: number, extraHeaders: Record<string, string> = {}): Handler =>
  (request, reply) =>
    reply({
      status,
      headers: { "x-echo": `${request.headers["api-key"]}`, ...extraHeaders },
      body: { error: { code: "echo", message: `Rejected: ${echoOf(request)}`, request: request.headers } },
    });

/** An event stream whose events echo the request: `before` updates, then the failing event. */
const echoStream =
  (before: number, failing: (echo: string) => string): Handler =>
  async (request, _reply, res: ServerResponse) => {
    res.writeHead(200, { "content-type": "text/event-stream", "x-echo": `${request.headers["api-key"]}` });
    for (let i = 0; i < before; i++)
      res.write(`data: {"choices":[{"index":0,"delta":{"content":"ok${i}"}}]}\n\n`);
    res.end(failing(echoOf(request)));
  };

interface Case {
  readonly name: string;
  readonly plans: Handler[];
  readonly stream?: boolean;
  readonly options?: ChatCompletionsClientOptions;
  /** Where the endpoint points, relative to the server (the query secret is added). */
  readonly path?: string;
}

const cases: Case[] = [
  { name: "a non-streamed 401", plans: [echoStatus(401)] },
  {
    name: "a non-streamed 400 in plain text",
    plans: [(request, reply) => reply({ status: 400, body: echoOf(request) })],
  },
  { name: "a streamed request answered 403", plans: [echoStatus(403)], stream: true },
  {
    name: "a streamed request answered with HTML",
    plans: [
      (request, reply) =>
        reply({ headers: { "content-type": "text/html" }, body: `<html>${echoOf(request)}` }),
    ],
    stream: true,
  },
  {
    name: "an error event before the first update",
    plans: [echoStream(0, (echo) => `event: error\ndata: {"error":{"message":${JSON.stringify(echo)}}}\n\n`)],
    stream: true,
  },
  {
    name: "an error chunk after the first update",
    plans: [echoStream(2, (echo) => `data: {"error":{"code":"x","message":${JSON.stringify(echo)}}}\n\n`)],
    stream: true,
  },
  {
    name: "a line that is not JSON after the first update",
    plans: [echoStream(1, (echo) => `data: not json ${echo}\n\n`)],
    stream: true,
  },
  {
    name: "an error event that is not JSON",
    plans: [echoStream(1, (echo) => `event: error\ndata: ${echo}\n\n`)],
    stream: true,
  },
  {
    name: "503s until the retries are exhausted",
    plans: [echoStatus(503, { "retry-after-ms": "1" })],
    options: { maxRetries: 2 },
  },
  {
    name: "connection resets until the retries are exhausted",
    plans: [(_request, reply) => reply({ resetBeforeHeaders: true })],
    options: { maxRetries: 2, retryDelayMs: 1 },
  },
  {
    name: "a stream reset before its first update, then exhausted retries",
    plans: [
      (_request, reply) =>
        reply({ headers: { "content-type": "text/event-stream" }, resetAfterHeaders: true }),
    ],
    stream: true,
    options: { maxRetries: 1, retryDelayMs: 1 },
  },
  {
    name: "a timeout",
    plans: [(_request, reply) => reply({ neverAnswer: true })],
    options: { timeoutMs: 100, maxRetries: 1, retryDelayMs: 1 },
  },
  {
    name: "an idle stream after its first update",
    plans: [
      (_request, reply) =>
        reply({
          headers: { "content-type": "text/event-stream" },
          chunks: ['data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\n'],
          stallAfterHeaders: true,
        }),
    ],
    stream: true,
    options: { idleTimeoutMs: 100 },
  },
  {
    name: "a 302 answering the POST, to a URL carrying the secrets",
    plans: [
      (request, reply) =>
        reply({
          status: 302,
          headers: { location: `/elsewhere?sig=${CANARY_QUERY}&k=${request.headers["api-key"]}` },
        }),
    ],
  },
  {
    name: "an HTML page writing the key as character references",
    plans: [
      (request, reply) =>
        reply({
          status: 502,
          headers: { "content-type": "text/html" },
          body: `<html><body>Rejected ${[...echoOf(request)].map((c) => `&#${c.charCodeAt(0)};`).join("")}</body></html>`,
        }),
    ],
    options: { maxRetries: 0 },
  },
  {
    name: "too many redirects",
    plans: [(request, reply) => reply({ status: 307, headers: { location: `${request.url}&hop=1` } })],
  },
];

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  return { lines, debug: log, info: log, warn: log, error: log };
}

/** Every rendering a user, a log pipeline or an error tracker could make of `error`. */
function renderings(error: unknown): string[] {
  const out = [
    inspect(error, { depth: 20, showHidden: true, getters: true }),
    inspect(error, { depth: 20 }),
    String(error),
    JSON.stringify(error) ?? "",
  ];
  if (error instanceof Error)
    out.push(error.message, error.stack ?? "", JSON.stringify(error.cause ?? null) ?? "");
  if (error instanceof AiInferenceError) out.push(JSON.stringify(error.retries), inspect(error.retries));
  return out;
}

function assertClean(where: string, texts: readonly string[]): void {
  for (const text of texts) {
    for (const canary of CANARIES) {
      assert.ok(!text.includes(canary), `${where} leaks ${canary}: ${text.slice(0, 1500)}`);
    }
  }
}

const spans = recordSpans();
afterEach(() => spans.reset());
after(() => disableTracing());

for (const transport of transports) {
  describe(`issue 9 secrets over ${transport.name}`, () => {
    for (const item of cases) {
      test(`P3.3 ${item.name}: no canary in the error, its retries, the log or the span`, async (t) => {
        enableTracing({ tracerProvider: spans.provider, recordContent: true });
        const server = await useLoopbackServer(t, ...item.plans);
        const logger = recordingLogger();
        const client = new ChatCompletionsClient(
          `${server.url.replace("//", `//canary-user:${CANARY_USERINFO}@`)}${item.path ?? "/"}?code=${CANARY_QUERY}`,
          new AzureKeyCredential(CANARY_KEY),
          {
            ...transport.options,
            retryDelayMs: 1,
            logger,
            headers: { "x-subscription-token": CANARY_HEADER, cookie: `session=${CANARY_COOKIE}` },
            ...item.options,
          },
        );
        let error: unknown;
        try {
          if (item.stream === true) {
            const stream = await client.complete({ messages: hiMessages, stream: true });
            for await (const _ of stream) {
              // Read to the failure.
            }
          } else {
            await client.complete({ messages: hiMessages });
          }
        } catch (e) {
          error = e;
        }
        assert.ok(
          error instanceof AiInferenceError,
          `the call failed with the SDK's error: ${String(error)}`,
        );
        assert.ok(server.requests.length > 0);
        assert.equal(
          server.requests[0].headers["api-key"],
          CANARY_KEY,
          "the key was sent (the echo is real)",
        );
        assertClean("the error", renderings(error));
        assertClean("the log", logger.lines);
        assert.ok(logger.lines.length > 0);
        const ended = spans.spans();
        assert.ok(ended.length > 0, "the call was traced");
        assertClean("the span", ended.flatMap(spanTexts));
      });
    }
  });
}

test("P3.3 a short key is redacted where it stands as a word, never inside other words or numbers", async (t) => {
  const server = await useLoopbackServer(t, (_request, reply) =>
    reply({ status: 401, body: { error: { message: "key k3y9 refused (401, k3y9x, xk3y9)" } } }),
  );
  const error = (await new ChatCompletionsClient(server.url, new AzureKeyCredential("k3y9"))
    .complete({ messages: hiMessages })
    .catch((e: unknown) => e)) as Error;
  assert.equal(error.message, "401 key [REDACTED] refused (401, k3y9x, xk3y9)");
});

test("P3.3 a key under 4 characters never garbles text, and is redacted as a whole header value", async (t) => {
  const server = await useLoopbackServer(t, (request, reply) =>
    reply({
      status: 401,
      headers: { "x-echo": String(request.headers["api-key"]) },
      body: "401 Unauthorized: 1",
    }),
  );
  const error = (await new ChatCompletionsClient(server.url, new AzureKeyCredential("1"))
    .complete({ messages: hiMessages })
    .catch((e: unknown) => e)) as { message: string; headers: Headers };
  assert.equal(error.message, "401 401 Unauthorized: 1");
  assert.equal(error.headers.get("x-echo"), "[REDACTED]");
});

test("P3.3 short secrets in the endpoint's query: 4 to 7 characters as words, under 4 as whole values", async (t) => {
  const server = await useLoopbackServer(t, (request, reply) =>
    reply({
      status: 400,
      headers: { "x-echo": new URL(request.url, "http://h").searchParams.get("code") ?? "" },
      body: { error: { message: "bad sig Qx7pz (Qx7pzz, 9a9, 409)" }, code: "9a", sig: "Qx7pz" },
    }),
  );
  const client = new ChatCompletionsClient(`${server.url}/?sig=Qx7pz&code=9a`, null);
  const error = (await client.complete({ messages: hiMessages }).catch((e: unknown) => e)) as {
    message: string;
    body: unknown;
    headers: Headers;
  };
  assert.equal(server.requests[0].url, "/chat/completions?sig=Qx7pz&code=9a&api-version=2024-05-01-preview");
  assert.equal(error.message, "400 bad sig [REDACTED] (Qx7pzz, 9a9, 409)");
  assert.deepEqual(error.body, {
    error: { message: "bad sig [REDACTED] (Qx7pzz, 9a9, 409)" },
    code: "[REDACTED]",
    sig: "[REDACTED]",
  });
  assert.equal(error.headers.get("x-echo"), "[REDACTED]");
});

// Text is cut in places (64 KiB of an error body, 200 characters of a bad event in a message, 4,000
// of a logged body): redacting after the cut would miss the secret it splits and show its beginning.
const KEY_PREFIX = CANARY_KEY.slice(0, 4);
/** `filler` characters, then the key, then more: the key starts `at` characters in. */
const keyAt = (at: number, lead = "") => `${lead}${".".repeat(at - lead.length)}${CANARY_KEY} and more`;
const cutCases: { name: string; plan: Handler; stream?: boolean; logged?: boolean }[] = [
  {
    name: "an error body whose 64 KiB cut splits the key",
    plan: (_request, reply) =>
      reply({ status: 400, body: keyAt(65_536 - 10, '{"error":"') + ".".repeat(5000) }),
  },
  {
    name: "a 200 reply that is not JSON, cut at 64 KiB through the key",
    plan: (_request, reply) =>
      reply({ headers: { "content-type": "application/json" }, body: keyAt(65_536 - 6, "oops ") }),
  },
  {
    name: "a bad event shown cut at 200 characters through the key",
    plan: (_request, reply) =>
      reply({ headers: { "content-type": "text/event-stream" }, body: `data: ${keyAt(195)}\n\n` }),
    stream: true,
  },
  {
    name: "a logged 200 reply (debug level) cut at 4,000 characters through the key",
    plan: (_request, reply) =>
      reply({ headers: { "content-type": "application/json" }, body: keyAt(3995, "oops ") }),
    logged: true,
  },
];

describe("P3.3 a cut never shows the beginning of a secret", () => {
  for (const item of cutCases) {
    test(`P3.3 ${item.name}: at most 3 of its characters are shown`, async (t) => {
      const server = await useLoopbackServer(t, item.plan);
      const logger = recordingLogger();
      const client = new ChatCompletionsClient(server.url, new AzureKeyCredential(CANARY_KEY), {
        logger,
        maxRetries: 0,
      });
      const error = await (async () => {
        const stream = await client.complete({ messages: hiMessages, stream: item.stream === true });
        if (item.stream === true) for await (const _ of stream as AsyncIterable<unknown>) continue;
      })().then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof AiInferenceError, String(error));
      if (item.logged === true) assert.ok(logger.lines.some((line) => line.includes("response body: oops")));
      for (const text of [...renderings(error), ...logger.lines])
        assert.ok(!text.includes(KEY_PREFIX), `shows ${KEY_PREFIX}…: ${text.slice(-300)}`);
    });
  }
});

test("P3.3 an endpoint that is not a URL is named in the error without its user info and query", () => {
  for (const endpoint of [
    `https://user:${CANARY_USERINFO}@my resource.openai.azure.com/x`,
    `https://my resource.openai.azure.com/x?sig=${CANARY_QUERY}&api-version=1`,
    `https://me:p/${CANARY_USERINFO}@my resource/x`,
  ]) {
    assert.throws(
      () => new ChatCompletionsClient(endpoint, null),
      (error: Error) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, /"https:\/\/(\[REDACTED\]@)?my resource[^"]*" is not a URL/);
        assertClean("the message", [error.message]);
        return true;
      },
    );
  }
});
