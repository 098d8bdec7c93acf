// Issue 9, "memory is bounded, always", played by a hostile server over real HTTP on both
// transports: bodies past `maxResponseBytes`, error bodies past 64 KiB, one server-sent event that
// never ends, JSON nested 100,000 deep, and an HTML page built to make a regular expression
// backtrack. The endless cases never end on the server's side: a client that read on would hang,
// so finishing at all is part of what each test checks.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import {
  ChatCompletionsClient,
  EmbeddingsClient,
  HttpResponseError,
  ResponseTooLargeError,
  ServiceResponseError,
} from "../../../src/index.js";
import { type Handler, useLoopbackServer } from "../../support/loopback-server.js";
import { hiMessages } from "../../support/chat-replies.js";
import { readThrough, streamClient } from "../../support/read-stream.js";
import { transports } from "../../support/transports.js";

const MiB = 1024 * 1024;

/** Writes `head`, then `piece` again and again until the client goes away. */
function endless(status: number, headers: Record<string, string>, head: string, piece: string): Handler {
  return async (_request, _reply, res: ServerResponse) => {
    res.writeHead(status, headers);
    res.write(head);
    while (!res.destroyed) {
      const more = res.write(piece);
      if (!more) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
}

/** Headers that announce a body of `length` bytes, then a few bytes of it and a stall. */
function announced(length: number, contentType = "application/json"): Handler {
  return (_request, _reply, res: ServerResponse) => {
    res.writeHead(200, { "content-type": contentType, "content-length": String(length) });
    res.write('{"id":"');
  };
}

const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepReply = (depth: number) =>
  `{"id":"deep","object":"chat.completion","choices":[],"extra":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;

for (const transport of transports) {
  describe(`issue 9 memory over ${transport.name}`, () => {
    const client = (url: string, options = {}) =>
      new ChatCompletionsClient(url, null, { ...transport.options, retryDelayMs: 1, ...options });

    test("P1.10 maxResponseBytes: an endless 200 body fails past the limit, naming it and the option", async (t) => {
      const server = await useLoopbackServer(
        t,
        endless(200, { "content-type": "application/json" }, '{"id":"', "x".repeat(65_536)),
      );
      const error = await client(server.url)
        .complete({ messages: hiMessages, maxResponseBytes: 2 * MiB })
        .catch((e: unknown) => e);
      assert.ok(error instanceof ResponseTooLargeError, String(error));
      assert.equal(error.option, "maxResponseBytes");
      assert.equal(error.limitBytes, 2 * MiB);
      assert.match(error.message, /larger than maxResponseBytes \(2097152 bytes\); it was not read further/);
      assert.ok(error.requestId);
      assert.equal(server.requests.length, 1, "not retried");
    });

    test("P1.10 maxResponseBytes defaults to 256 MiB: a body announced larger is refused before it is read", async (t) => {
      const server = await useLoopbackServer(t, announced(400_000_000));
      const error = await client(server.url)
        .complete({ messages: hiMessages })
        .catch((e: unknown) => e);
      assert.ok(error instanceof ResponseTooLargeError, String(error));
      assert.equal(error.limitBytes, 256 * MiB);
      assert.match(error.message, /its content-length says 400000000/);
    });

    test("P1.10 maxResponseBytes set on the client bounds the embeddings client too", async (t) => {
      const server = await useLoopbackServer(t, announced(5 * MiB));
      const embeddings = new EmbeddingsClient(server.url, null, {
        ...transport.options,
        maxResponseBytes: MiB,
      });
      const error = await embeddings.embed({ input: ["a"] }).catch((e: unknown) => e);
      assert.ok(error instanceof ResponseTooLargeError, String(error));
      assert.equal(error.limitBytes, MiB);
    });

    test("P3.2 an error body is kept up to 64 KiB, raw and marked bodyTruncated, and the rest is not read", async (t) => {
      const server = await useLoopbackServer(
        t,
        endless(400, { "content-type": "application/json" }, '{"error":{"message":"', "y".repeat(10_000)),
      );
      const error = await client(server.url)
        .complete({ messages: hiMessages })
        .catch((e: unknown) => e);
      assert.ok(error instanceof HttpResponseError, String(error));
      assert.equal(error.statusCode, 400);
      assert.equal(error.bodyTruncated, true);
      assert.equal(typeof error.body, "string", "a cut body stays raw text");
      assert.equal((error.body as string).length, 65_536);
      assert.match(error.message, /^400 \{"error":\{"message":"y+…$/);
      assert.ok(error.message.length < 520);
    });

    test("P3.2 a whole error body under 64 KiB is parsed and not marked truncated", async (t) => {
      const server = await useLoopbackServer(t, { status: 400, body: { error: { message: "bad" } } });
      const error = (await client(server.url)
        .complete({ messages: hiMessages })
        .catch((e: unknown) => e)) as HttpResponseError;
      assert.equal(error.bodyTruncated, false);
      assert.deepEqual(error.body, { error: { message: "bad" } });
    });

    test("P5.3 maxEventBytes: one data: line that never ends fails the stream, and no idle timeout is needed", async (t) => {
      const server = await useLoopbackServer(
        t,
        endless(200, { "content-type": "text/event-stream" }, "data: ", "z".repeat(65_536)),
      );
      const { updates, error } = await readThrough(streamClient(transport, server.url), {
        maxEventBytes: MiB,
      });
      assert.equal(updates.length, 0);
      assert.ok(error instanceof ResponseTooLargeError, String(error));
      assert.equal(error.option, "maxEventBytes");
      assert.equal(error.limitBytes, MiB);
      assert.match(
        error.message,
        /One server-sent event of the stream is larger than maxEventBytes \(1048576 bytes\)/,
      );
      assert.equal(server.requests.length, 1, "not retried");
    });

    test("P5.3 maxEventBytes defaults to 16 MiB, and counts an event of many data: lines too", async (t) => {
      const server = await useLoopbackServer(
        t,
        endless(200, { "content-type": "text/event-stream" }, "", `data: ${"w".repeat(16_000)}\n`),
      );
      const { error } = await readThrough(streamClient(transport, server.url));
      assert.ok(error instanceof ResponseTooLargeError, String(error));
      assert.equal(error.limitBytes, 16 * MiB);
    });

    test("P5.3 an event too large after the first update keeps what arrived in partial", async (t) => {
      const first = 'data: {"choices":[{"index":0,"delta":{"content":"kept"}}]}\n\n';
      const server = await useLoopbackServer(
        t,
        endless(200, { "content-type": "text/event-stream" }, `${first}data: `, "q".repeat(65_536)),
      );
      const { updates, error } = await readThrough(streamClient(transport, server.url), {
        maxEventBytes: 256 * 1024,
      });
      assert.equal(updates.length, 1);
      assert.ok(error instanceof ResponseTooLargeError, String(error));
      assert.equal(error.partial?.choices[0].message.content, "kept");
    });

    test("P1.10 a stream of valid chunks that never ends stops at maxResponseBytes, keeping what arrived", async (t) => {
      const chunk = `data: {"choices":[{"index":0,"delta":{"content":"${"c".repeat(900)}"}}]}\n\n`;
      const server = await useLoopbackServer(
        t,
        endless(200, { "content-type": "text/event-stream" }, "", chunk.repeat(64)),
      );
      const { updates, error } = await readThrough(streamClient(transport, server.url), {
        maxResponseBytes: 2 * MiB,
      });
      assert.ok(updates.length > 1000);
      assert.ok(error instanceof ResponseTooLargeError, String(error));
      assert.equal(error.option, "maxResponseBytes");
      assert.match(
        error.message,
        /The body of the streamed response is larger than maxResponseBytes \(2097152 bytes\)/,
      );
      assert.equal(error.partial?.choices[0].message.content?.length, updates.length * 900);
    });

    test("P5.3 a JSON answer to a stream is bounded by maxResponseBytes", async (t) => {
      const server = await useLoopbackServer(
        t,
        endless(200, { "content-type": "application/json" }, '{"id":"', "j".repeat(65_536)),
      );
      const { error } = await readThrough(streamClient(transport, server.url), { maxResponseBytes: MiB });
      assert.ok(error instanceof ResponseTooLargeError, String(error));
      assert.equal(error.option, "maxResponseBytes");
    });

    test("issue 9 [ × 100,000 in an error body gives the SDK's error with status and request id", async (t) => {
      const server = await useLoopbackServer(t, {
        status: 400,
        headers: { "content-type": "application/json", "x-request-id": "svc-1" },
        body: "[".repeat(100_000),
      });
      const error = (await client(server.url)
        .complete({ messages: hiMessages })
        .catch((e: unknown) => e)) as HttpResponseError;
      assert.ok(error instanceof HttpResponseError, String(error));
      assert.equal(error.statusCode, 400);
      assert.equal(error.serviceRequestId, "svc-1");
      assert.ok(error.requestId);
      assert.equal(error.bodyTruncated, true);
      assert.match(error.message, /^400 \[{500}…$/);
    });

    test("issue 9 valid JSON nested 30,000 deep in an error stays raw text, with a message", async (t) => {
      const server = await useLoopbackServer(t, {
        status: 500,
        headers: { "content-type": "application/json" },
        body: deepArray(30_000),
      });
      const error = (await client(server.url, { maxRetries: 0 })
        .complete({ messages: hiMessages })
        .catch((e: unknown) => e)) as HttpResponseError;
      assert.ok(error instanceof HttpResponseError, String(error));
      assert.equal(error.bodyTruncated, false);
      assert.equal(error.body, deepArray(30_000));
      assert.equal(JSON.stringify(error).length > 0, true, "JSON.stringify of the error works");
    });

    test("issue 9 a 200 reply nested 100,000 deep is refused with the SDK's error, not a RangeError", async (t) => {
      const server = await useLoopbackServer(t, {
        headers: { "content-type": "application/json" },
        body: deepReply(100_000),
      });
      const error = (await client(server.url)
        .complete({ messages: hiMessages })
        .catch((e: unknown) => e)) as HttpResponseError;
      assert.ok(error instanceof HttpResponseError, String(error));
      assert.equal(error.statusCode, 200);
      assert.ok(error.requestId);
      assert.match(
        error.message,
        /\(the 200 response body nests more than 512 levels deep, which the SDK does not accept\)$/,
      );
    });

    test("issue 9 a reply nested 500 deep (within the limit) is read, and asDict() works", async (t) => {
      const server = await useLoopbackServer(t, {
        headers: { "content-type": "application/json" },
        body: deepReply(500),
      });
      const answer = await client(server.url).complete({ messages: hiMessages });
      const dict = answer.asDict() as { extra: unknown };
      let depth = 0;
      for (let value = dict.extra; typeof value === "object"; value = (value as { a: unknown }).a) depth++;
      assert.equal(depth, 500);
    });

    test("issue 9 a stream chunk nested 100,000 deep fails the stream with the SDK's error", async (t) => {
      const chunk = `data: {"choices":[],"extra":${deepArray(100_000)}}\n\n`;
      const server = await useLoopbackServer(t, {
        headers: { "content-type": "text/event-stream" },
        body: chunk,
      });
      const { error } = await readThrough(streamClient(transport, server.url));
      assert.ok(error instanceof ServiceResponseError, String(error));
      assert.match(error.message, /JSON nested more than 512 levels deep/);
    });

    test("P3.2 a 502 HTML page built to make a regular expression backtrack is reduced to its text", async (t) => {
      // 60,000 '<' with no '>' after them, and <title>/<script> openers that never close: each of
      // these made the old extractor rescan to the end of the page from every position.
      const page =
        "<html><head><title>Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>" +
        "<".repeat(20_000) +
        "<script>".repeat(2_000) +
        "<title>".repeat(2_000) +
        "<".repeat(20_000);
      const server = await useLoopbackServer(t, {
        status: 502,
        headers: { "content-type": "text/html" },
        body: page,
      });
      const error = (await client(server.url, { maxRetries: 0 })
        .complete({ messages: hiMessages })
        .catch((e: unknown) => e)) as HttpResponseError;
      assert.ok(error instanceof HttpResponseError, String(error));
      assert.match(error.message, /^502 Bad Gateway: 502 Bad Gateway <<<</);
    });
  });
}

test("issue 9 the endless-body servers above really are endless (a control)", async (t) => {
  const server = await useLoopbackServer(t, endless(200, {}, "", "x".repeat(1024)));
  const response = await fetch(`${server.url}/`);
  const reader = response.body!.getReader();
  let bytes = 0;
  while (bytes < 4 * MiB) bytes += (await reader.read()).value!.byteLength;
  await reader.cancel();
  await delay(10);
  assert.ok(bytes >= 4 * MiB);
});
