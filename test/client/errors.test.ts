// Q1.10: every error body shape real services send, non-JSON and empty bodies, over loopback.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ChatCompletionsClient,
  ClientAuthenticationError,
  HttpResponseError,
  RateLimitError,
  ResourceNotFoundError,
  isHttpResponseError,
} from "../../src/index.js";
import { type ReplyPlan, useLoopbackServer } from "../support/loopback-server.js";
import { transports } from "../support/transports.js";

const messages = [{ role: "user", content: "hi" }];
const html = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>`;

/** Each shape: the reply, and the message the error must carry. */
const shapes: [string, ReplyPlan, string, typeof HttpResponseError][] = [
  [
    "{error: {code, message}}",
    { status: 404, body: { error: { code: "404", message: "Resource not found" } } },
    "404 Resource not found",
    ResourceNotFoundError,
  ],
  [
    "{statusCode, message}",
    {
      status: 401,
      body: {
        statusCode: 401,
        message:
          "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.",
      },
    },
    "401 Unauthorized. Access token is missing",
    ClientAuthenticationError,
  ],
  [
    "{detail}",
    { status: 422, body: { detail: "Input should be a valid list" } },
    "422 Input should be a valid list",
    HttpResponseError,
  ],
  [
    "{status}",
    { status: 400, body: { status: "Invalid model name" } },
    "400 Invalid model name",
    HttpResponseError,
  ],
  [
    "{message}",
    { status: 403, body: { message: "Forbidden for this key" } },
    "403 Forbidden for this key",
    ClientAuthenticationError,
  ],
  [
    "text/plain",
    { status: 404, headers: { "content-type": "text/plain; charset=utf-8" }, body: "NOT FOUND" },
    "404 NOT FOUND",
    ResourceNotFoundError,
  ],
  [
    "an HTML page from a proxy",
    { status: 400, headers: { "content-type": "text/html" }, body: html },
    "400 502 Bad Gateway nginx",
    HttpResponseError,
  ],
  [
    "{error: {message, type, param, code}}",
    {
      status: 400,
      body: {
        error: {
          message: "Invalid type for 'response_format': expected an object, but got a string instead.",
          type: "invalid_request_error",
          param: "response_format",
          code: "invalid_type",
        },
      },
    },
    "400 Invalid type for 'response_format'",
    HttpResponseError,
  ],
  [
    "{error: {code, status, message, details}}",
    {
      status: 422,
      body: {
        error: {
          code: "Invalid input",
          status: 422,
          message: "invalid input error",
          details: [{ type: "enum", loc: ["body", "input_type"] }],
        },
      },
    },
    "422 invalid input error",
    HttpResponseError,
  ],
  [
    "{error: {code: null, message}}",
    {
      status: 400,
      body: {
        error: {
          message: "'foo' is not one of ['float', 'base64']",
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      },
    },
    "400 'foo' is not one of",
    HttpResponseError,
  ],
  ["an empty body", { status: 400 }, "400 (the response had no body)", HttpResponseError],
  [
    "a JSON string inside message, kept verbatim",
    { status: 400, body: { error: { message: '{"inner": "json"}' } } },
    '400 {"inner": "json"}',
    HttpResponseError,
  ],
];

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    for (const [name, plan, message, errorClass] of shapes) {
      test(`P3.2 the service's message is found in ${name}`, async (t) => {
        const server = await useLoopbackServer(t, plan);
        const client = new ChatCompletionsClient(server.url, null, { ...transport.options, maxRetries: 0 });
        const error = await client.complete({ messages }).catch((e: unknown) => e as HttpResponseError);
        assert.ok(error instanceof errorClass, `${(error as Error).name}: ${(error as Error).message}`);
        assert.ok(error.message.startsWith(message), error.message);
        assert.equal(error.statusCode, plan.status);
        assert.equal(
          error.requestId,
          server.requests[0].headers["x-ms-client-request-id"],
          "P3.1 requestId is ours",
        );
      });
    }

    test("P3.2 the service's text is clipped at 500 characters; the full body stays on body", async (t) => {
      const long = "x".repeat(2000);
      const server = await useLoopbackServer(t, { status: 400, body: { error: { message: long } } });
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      const error = (await client.complete({ messages }).catch((e: unknown) => e)) as HttpResponseError;
      assert.equal(error.message, `400 ${"x".repeat(500)}…`);
      assert.deepEqual(error.body, { error: { message: long } });
    });

    test("P3.2 a content-filter refusal keeps innererror reachable", async (t) => {
      const body = {
        error: {
          message:
            "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
          param: "prompt",
          code: "content_filter",
          status: 400,
          innererror: {
            code: "ResponsibleAIPolicyViolation",
            content_filter_result: { hate: { filtered: true, severity: "high" } },
          },
        },
      };
      const server = await useLoopbackServer(t, { status: 400, body });
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      const error = (await client.complete({ messages }).catch((e: unknown) => e)) as HttpResponseError;
      assert.equal(error.code, "content_filter");
      assert.deepEqual((error.body as typeof body).error.innererror.content_filter_result.hate, {
        filtered: true,
        severity: "high",
      });
    });

    test("P3.1 code falls back to x-ms-error-code; serviceRequestId is x-request-id or apim-request-id; headers kept", async (t) => {
      const server = await useLoopbackServer(
        t,
        {
          status: 401,
          headers: { "x-ms-error-code": "InvalidKey", "apim-request-id": "apim-1" },
          body: { statusCode: 401, message: "no" },
        },
        {
          status: 400,
          headers: { "x-request-id": "req-2" },
          body: { error: { code: "bad", message: "no" } },
        },
      );
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      const first = (await client.complete({ messages }).catch((e: unknown) => e)) as HttpResponseError;
      assert.equal(first.code, "InvalidKey");
      assert.equal(first.serviceRequestId, "apim-1");
      assert.equal(first.headers.get("x-ms-error-code"), "InvalidKey");
      const second = (await client.complete({ messages }).catch((e: unknown) => e)) as HttpResponseError;
      assert.equal(second.code, "bad");
      assert.equal(second.serviceRequestId, "req-2");
    });

    for (const [name, body] of [
      ["not JSON", "<html>maintenance</html>"],
      ["a JSON array", "[1, 2]"],
      ["a JSON string", '"ok"'],
      ["empty", ""],
    ] as const) {
      test(`Q1.10 a 200 whose body is ${name} is an HttpResponseError keeping the raw body`, async (t) => {
        const server = await useLoopbackServer(t, {
          status: 200,
          headers: { "content-type": "application/json" },
          body,
        });
        const client = new ChatCompletionsClient(server.url, null, transport.options);
        const error = await client.complete({ messages }).catch((e: unknown) => e);
        assert.ok(isHttpResponseError(error), String(error));
        assert.equal(error.statusCode, 200);
        assert.match(error.message, /not the JSON object expected/);
        assert.equal(server.requests.length, 1, "not retried");
      });
    }

    test("P3.1 a 429 is a RateLimitError with retryAfterMs and the x-ratelimit-* headers", async (t) => {
      const server = await useLoopbackServer(t, {
        status: 429,
        headers: {
          "retry-after": "1",
          "x-ratelimit-remaining-requests": "0",
          "x-ratelimit-remaining-tokens": "120",
        },
        body: { error: { code: "429", message: "Rate limit is exceeded." } },
      });
      const client = new ChatCompletionsClient(server.url, null, { ...transport.options, maxRetries: 0 });
      const error = (await client.complete({ messages }).catch((e: unknown) => e)) as RateLimitError;
      assert.ok(error instanceof RateLimitError);
      assert.equal(error.retryAfterMs, 1000);
      assert.deepEqual(error.rateLimits, {
        "x-ratelimit-remaining-requests": "0",
        "x-ratelimit-remaining-tokens": "120",
      });
    });
  });
}
