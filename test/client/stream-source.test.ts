// The streamed request path the stream layer builds on (src/streaming/stream-source.ts, P4.4,
// P5.6, P5.10): the same pipeline as every request up to the headers, then raw body bytes, with
// reconnect() re-sending through the same retry policy. Read here as raw bytes, over loopback.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import {
  AbortError,
  AzureKeyCredential,
  ChatCompletionsClient,
  HttpResponseError,
  RequestTimeoutError,
  type ResponseInfo,
  ServiceResponseError,
} from "../../src/index.js";
import { openChatCompletionsStream } from "../../src/client/chat-completions-client.js";
import type { StreamResponse } from "../../src/streaming/stream-source.js";
import { type ReplyPlan, useLoopbackServer } from "../support/loopback-server.js";
import { loadRecording } from "../support/recordings.js";
import { responseBody, startReplay } from "../support/replay.js";
import { transports } from "../support/transports.js";

const messages = [{ role: "user", content: "hi" }];
const events = [
  'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":"日本"}}]}\n\n',
  'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"語 🙂"},"finish_reason":"stop"}]}\n\n',
  "data: [DONE]\n\n",
];
const sse = (extra: Partial<ReplyPlan> = {}): ReplyPlan => ({
  headers: { "content-type": "text/event-stream" },
  chunks: events,
  ...extra,
});

async function readAll(response: StreamResponse): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of response.body) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

async function readUntilError(response: StreamResponse): Promise<unknown> {
  try {
    for await (const _ of response.body) {
      // keep reading
    }
  } catch (error) {
    return error;
  }
  return undefined;
}

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    const client = (url: string, options: object = {}) =>
      new ChatCompletionsClient(url, new AzureKeyCredential("stream-key"), {
        ...transport.options,
        retryDelayMs: 1,
        ...options,
      });

    test("P5.7 a streamed request resolves at the headers with the raw body bytes, read once", async (t) => {
      const server = await useLoopbackServer(t, sse({ pauseMs: 5 }));
      const source = await openChatCompletionsStream(client(server.url), { messages, stream: true });
      assert.equal(source.first.status, 200);
      assert.equal(source.first.headers.get("content-type"), "text/event-stream");
      assert.equal(source.first.requestId, server.requests[0].headers["x-ms-client-request-id"]);
      assert.equal(source.idleTimeoutMs, 120_000);
      assert.equal(await readAll(source.first), events.join(""));
      await assert.rejects(readAll(source.first), /read once/);
    });

    test("P2.5 a streamed request asks for text/event-stream with the same auth and headers", async (t) => {
      const server = await useLoopbackServer(t, sse());
      const source = await openChatCompletionsStream(client(server.url, { headers: { "x-client": "1" } }), {
        messages,
        stream: true,
        headers: { "x-call": "2" },
      });
      await readAll(source.first);
      const { headers } = server.requests[0];
      assert.equal(headers.accept, "text/event-stream");
      assert.equal(headers["content-type"], "application/json");
      assert.equal(headers["api-key"], "stream-key");
      assert.equal(headers.authorization, "Bearer stream-key");
      assert.equal(headers["x-client"], "1");
      assert.equal(headers["x-call"], "2");
    });

    test("P5.6 the streamed body: stream_options by default on Azure OpenAI, not on Model Inference", async (t) => {
      const server = await useLoopbackServer(t, sse());
      const aoai = await openChatCompletionsStream(client(`${server.url}/openai/deployments/gpt-4o`), {
        messages,
        stream: true,
      });
      await readAll(aoai.first);
      const mi = await openChatCompletionsStream(client(server.url), { messages, stream: true });
      await readAll(mi.first);
      const asked = await openChatCompletionsStream(client(server.url), {
        messages,
        stream: true,
        includeUsage: true,
      });
      await readAll(asked.first);
      const refused = await openChatCompletionsStream(client(`${server.url}/openai/deployments/gpt-4o`), {
        messages,
        stream: true,
        includeUsage: false,
      });
      await readAll(refused.first);
      const [a, m, u, r] = server.requests;
      assert.deepEqual(a.json(), { messages, stream: true, stream_options: { include_usage: true } });
      assert.equal(a.headers["extra-parameters"], undefined);
      assert.deepEqual(m.json(), { messages, stream: true });
      assert.equal(m.headers["extra-parameters"], undefined);
      assert.deepEqual(u.json(), { messages, stream: true, stream_options: { include_usage: true } });
      assert.equal(u.headers["extra-parameters"], "pass-through");
      assert.deepEqual(r.json(), { messages, stream: true });
    });

    test("P5.6 a raw streamed body is sent exactly, without stream_options", async (t) => {
      const server = await useLoopbackServer(t, sse());
      const source = await openChatCompletionsStream(client(`${server.url}/openai/deployments/x`), {
        body: { messages, stream: true },
      });
      await readAll(source.first);
      assert.deepEqual(server.requests[0].json(), { messages, stream: true });
      assert.equal(server.requests[0].headers.accept, "text/event-stream");
    });

    test("P5.10 retries before the headers happen as for any request; onResponse fires per attempt", async (t) => {
      const server = await useLoopbackServer(
        t,
        { resetBeforeHeaders: true },
        { status: 503, headers: { "retry-after-ms": "1" } },
        sse(),
      );
      const seen: ResponseInfo[] = [];
      const source = await openChatCompletionsStream(client(server.url), {
        messages,
        stream: true,
        onResponse: (r) => seen.push(r),
      });
      assert.equal(await readAll(source.first), events.join(""));
      assert.deepEqual(
        seen.map((r) => [r.status, r.attempt]),
        [
          [503, 2],
          [200, 3],
        ],
      );
      assert.equal(server.requests.length, 3);
    });

    test("P4.4 timeoutMs runs until the headers of a stream, then no longer applies", async (t) => {
      const late = await useLoopbackServer(t, sse({ delayMs: 400 }));
      const error = await openChatCompletionsStream(client(late.url, { timeoutMs: 100, maxRetries: 0 }), {
        messages,
        stream: true,
      }).catch((e: unknown) => e);
      assert.ok(error instanceof RequestTimeoutError, String(error));
      assert.match(error.message, /no response headers within timeoutMs \(100 ms\)/);
      const slow = await useLoopbackServer(t, sse({ pauseMs: 150 }));
      const source = await openChatCompletionsStream(client(slow.url, { timeoutMs: 100 }), {
        messages,
        stream: true,
      });
      assert.equal(await readAll(source.first), events.join(""), "a body slower than timeoutMs is not cut");
    });

    test("P5.7 a stream's status errors are the usual errors, after the usual retries", async (t) => {
      const server = await useLoopbackServer(
        t,
        { status: 429, headers: { "retry-after-ms": "1" } },
        { status: 400, body: { error: { code: "bad", message: "bad stream" } } },
      );
      const error = await openChatCompletionsStream(client(server.url), { messages, stream: true }).catch(
        (e: unknown) => e,
      );
      assert.ok(error instanceof HttpResponseError);
      assert.equal(error.message, "400 bad stream");
      assert.equal(error.retries.length, 1);
    });

    test("P5.10 the body throws ServiceResponseError when the connection breaks", async (t) => {
      const server = await useLoopbackServer(t, sse({ chunks: [events[0]], resetAfterHeaders: true }));
      const source = await openChatCompletionsStream(client(server.url), { messages, stream: true });
      const error = await readUntilError(source.first);
      assert.ok(error instanceof ServiceResponseError, String(error));
      assert.equal((error as ServiceResponseError).requestId, source.first.requestId);
    });

    test("P5.10 reconnect() re-sends through the same policy, recording the failure; onResponse per attempt", async (t) => {
      const server = await useLoopbackServer(t, sse({ chunks: [], resetAfterHeaders: true }), sse());
      const seen: number[] = [];
      const source = await openChatCompletionsStream(client(server.url), {
        messages,
        stream: true,
        onResponse: (r) => seen.push(r.attempt),
      });
      const failure = await readUntilError(source.first);
      const next = await source.reconnect(failure);
      assert.equal(await readAll(next), events.join(""));
      assert.deepEqual(seen, [1, 2]);
      assert.equal(server.requests.length, 2);
      assert.equal(
        server.requests[1].headers["x-ms-client-request-id"],
        server.requests[0].headers["x-ms-client-request-id"],
      );
      assert.deepEqual(server.requests[1].json(), server.requests[0].json(), "the same request");
    });

    test("P5.10 reconnect() rejects with the failure and the retries history when no attempt is left", async (t) => {
      const server = await useLoopbackServer(t, sse({ chunks: [], resetAfterHeaders: true }));
      const source = await openChatCompletionsStream(client(server.url, { maxRetries: 1 }), {
        messages,
        stream: true,
      });
      const first = await readUntilError(source.first);
      const second = await source.reconnect(first);
      const failure = await readUntilError(second);
      const error = await source.reconnect(failure).catch((e: unknown) => e);
      assert.equal(error, failure, "the failure itself is thrown");
      assert.deepEqual(
        (error as ServiceResponseError).retries.map((r) => [r.attempt, r.outcome]),
        [[1, "connection-error"]],
      );
      assert.equal(server.requests.length, 2);
    });

    test("P5.10 reconnect() after an idle timeout records a timeout; after an abort it rejects at once", async (t) => {
      const server = await useLoopbackServer(t, sse());
      const source = await openChatCompletionsStream(client(server.url), { messages, stream: true });
      await readAll(source.first);
      const next = await source.reconnect(new RequestTimeoutError("idle"));
      const error = await readUntilError(next);
      assert.equal(error, undefined);
      const aborted = new AbortError("aborted");
      assert.equal(await source.reconnect(aborted).catch((e: unknown) => e), aborted);
      const status = new HttpResponseError({
        statusCode: 200,
        headers: new Headers(),
        body: { error: { message: "in-stream" } },
      });
      assert.equal(
        await source.reconnect(status).catch((e: unknown) => e),
        status,
        "a 200 error event is never retried",
      );
      assert.equal(server.requests.length, 2);
    });

    test("P4.5 aborting mid-stream ends the body with AbortError and closes the connection", async (t) => {
      let closed!: Promise<unknown>;
      const server = await useLoopbackServer(t, async (_request, reply, response) => {
        closed = once(response.socket!, "close");
        await reply(sse({ chunks: [events[0]], stallAfterHeaders: true }));
      });
      const controller = new AbortController();
      const reason = new Error("enough");
      const source = await openChatCompletionsStream(client(server.url), {
        messages,
        stream: true,
        abortSignal: controller.signal,
      });
      assert.equal(source.abortSignal, controller.signal);
      const reading = readUntilError(source.first);
      setTimeout(() => controller.abort(reason), 30);
      const error = await reading;
      assert.ok(error instanceof AbortError, String(error));
      assert.equal((error as AbortError).cause, reason);
      await closed;
    });

    test("P5.7 close() ends pending reads quietly and closes the connection", async (t) => {
      let closed!: Promise<unknown>;
      const server = await useLoopbackServer(t, async (_request, reply, response) => {
        closed = once(response.socket!, "close");
        await reply(sse({ chunks: [events[0]], stallAfterHeaders: true }));
      });
      const source = await openChatCompletionsStream(client(server.url), { messages, stream: true });
      const reading = readUntilError(source.first);
      setTimeout(() => source.first.close(), 30);
      assert.equal(await reading, undefined);
      source.first.close(); // idempotent
      await closed;
    });

    test("P5.1 a recorded SSE stream replays byte for byte, however it is split", async (t) => {
      const name = "chat_test_suite/recording_chat_streaming_test";
      const bytes = new TextEncoder().encode(responseBody(loadRecording(name).entries[0]));
      // Cuts every 7 bytes, which splits multi-byte characters and events alike.
      const split = (body: Uint8Array) =>
        Array.from({ length: Math.ceil(body.length / 7) }, (_, i) => body.subarray(i * 7, i * 7 + 7));
      const replay = await startReplay(t, name, { split, pauseMs: 0 });
      const source = await openChatCompletionsStream(
        new ChatCompletionsClient(replay.endpoint, new AzureKeyCredential("k"), {
          ...transport.options,
          apiVersion: "2024-05-01-preview",
        }),
        {
          messages: (replay.recording.entries[0].RequestBody as { messages: never }).messages,
          stream: true,
          includeUsage: false,
        },
      );
      const parts: Uint8Array[] = [];
      for await (const chunk of source.first.body) parts.push(chunk);
      assert.deepEqual(new Uint8Array(Buffer.concat(parts)), bytes);
      replay.verify({ headers: ["content-type", "extra-parameters"] });
    });
  });
}
