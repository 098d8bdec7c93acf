// quality.md Q1.12 and protocol.md P4.5, P5.10–P5.12 end to end: resets before the headers, after
// them and mid-stream, a server that stalls, the caller's abort, `break` and `close()`, each played
// by a real node:http server on loopback and read through `client.complete({ stream: true })` on
// both transports. The server records whether it saw the connection close.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { once } from "node:events";
import { AbortError, RequestTimeoutError, type ResponseInfo, ServiceResponseError } from "../../src/index.js";
import { type ReplyPlan, useLoopbackServer } from "../support/loopback-server.js";
import { hi, messageIn, readAll, readThrough, ssePlan, streamClient } from "../support/read-stream.js";
import { transports } from "../support/transports.js";

type Json = Record<string, unknown>;
const delta = (content: string, extra = "") =>
  `data: {"id":"s1","choices":[{"index":0,"delta":{"content":"${content}"}${extra}}]}\n\n`;
const whole = [delta("Once"), delta(" upon", ',"finish_reason":"stop"'), "data: [DONE]\n\n"];

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    /** A server whose every request plays `plans` in order, recording when each connection closes. */
    const serverWithCloses = async (t: Parameters<typeof useLoopbackServer>[0], ...plans: ReplyPlan[]) => {
      const closes: Promise<unknown>[] = [];
      const server = await useLoopbackServer(t, async (_request, reply, response) => {
        closes.push(once(response.socket!, "close"));
        await reply(plans[Math.min(closes.length - 1, plans.length - 1)]);
      });
      return { server, closes };
    };

    test("Q1.12 a reset before the headers is retried like any request", async (t) => {
      const server = await useLoopbackServer(t, { resetBeforeHeaders: true }, ssePlan(whole));
      const seen: number[] = [];
      const { final, error } = await readThrough(streamClient(transport, server.url), {
        onResponse: (r) => seen.push(r.attempt),
      });
      assert.equal(error, undefined);
      assert.equal(messageIn(final).content, "Once upon");
      assert.equal(server.requests.length, 2);
      assert.deepEqual(seen, [2]);
    });

    test("P5.10 a reset after the headers, before the first event, is retried inside the iteration", async (t) => {
      const server = await useLoopbackServer(
        t,
        ssePlan([": ping\n\n"], {
          headers: { ...sseType, "x-request-id": "first" },
          resetAfterHeaders: true,
        }),
        ssePlan(whole, { headers: { ...sseType, "x-request-id": "second" } }),
      );
      const seen: ResponseInfo[] = [];
      const stream = await streamClient(transport, server.url).complete({
        messages: hi,
        stream: true,
        onResponse: (r) => seen.push(r),
      });
      assert.equal(stream.headers.get("x-request-id"), "first", "complete() resolved at the first headers");
      const { updates, final, error } = await readAll(stream);
      assert.equal(error, undefined);
      assert.equal(updates.length, 2);
      assert.equal(messageIn(final).content, "Once upon");
      assert.deepEqual(
        seen.map((r) => [r.attempt, r.status, r.headers.get("x-request-id")]),
        [
          [1, 200, "first"],
          [2, 200, "second"],
        ],
        "onResponse once per attempt",
      );
      assert.equal(stream.headers.get("x-request-id"), "second", "the headers of the latest attempt");
      assert.equal(stream.requestId, server.requests[1].headers["x-ms-client-request-id"]);
      assert.equal(server.requests.length, 2);
    });

    test("P5.10 resets before the first event stop once the retries are spent, with their history", async (t) => {
      const server = await useLoopbackServer(t, ssePlan([], { resetAfterHeaders: true }));
      const { error, updates } = await readThrough(streamClient(transport, server.url, { maxRetries: 2 }));
      assert.equal(updates.length, 0);
      assert.ok(error instanceof ServiceResponseError, String(error));
      assert.equal(error.partial, undefined);
      assert.deepEqual(
        error.retries.map((r) => [r.attempt, r.outcome]),
        [
          [1, "connection-error"],
          [2, "connection-error"],
        ],
      );
      assert.equal(server.requests.length, 3);
    });

    test("Q1.12 a reset in the middle of a stream fails with ServiceResponseError and partial, not retried", async (t) => {
      const server = await useLoopbackServer(
        t,
        ssePlan([delta("Once"), delta(" upon") + 'data: {"choices":[{"index":0,"del'], {
          resetAfterHeaders: true,
        }),
      );
      const { updates, error } = await readThrough(streamClient(transport, server.url));
      assert.equal(updates.length, 2, "the updates that arrived were delivered first");
      assert.ok(error instanceof ServiceResponseError, String(error));
      assert.equal(error.requestId, server.requests[0].headers["x-ms-client-request-id"]);
      assert.deepEqual(error.partial?.asDict(), {
        id: "s1",
        object: "chat.completion",
        created: 0,
        model: "",
        choices: [{ index: 0, message: { role: "assistant", content: "Once upon" }, finish_reason: null }],
      });
      assert.equal(server.requests.length, 1);
    });

    test("Q1.12 headers then a stall after an update: RequestTimeoutError with partial after idleTimeoutMs", async (t) => {
      const { server, closes } = await serverWithCloses(
        t,
        ssePlan([delta("Once")], { stallAfterHeaders: true }),
      );
      const { updates, error } = await readThrough(
        streamClient(transport, server.url, { idleTimeoutMs: 150 }),
      );
      assert.equal(updates.length, 1);
      assert.ok(error instanceof RequestTimeoutError, String(error));
      assert.match(error.message, /idleTimeoutMs/);
      assert.equal(error.partial?.choices[0].message.content, "Once");
      assert.equal(server.requests.length, 1, "not retried after an update");
      await closes[0];
    });

    test("Q1.12 headers then a stall before the first update: retried, and the next attempt answers", async (t) => {
      const { server, closes } = await serverWithCloses(
        t,
        ssePlan([": ping\n\n"], { stallAfterHeaders: true }),
        ssePlan(whole),
      );
      const seen: number[] = [];
      const { final, error } = await readThrough(
        streamClient(transport, server.url, { idleTimeoutMs: 150 }),
        { onResponse: (r) => seen.push(r.attempt) },
      );
      assert.equal(error, undefined);
      assert.equal(messageIn(final).content, "Once upon");
      assert.deepEqual(seen, [1, 2]);
      await closes[0]; // the stalled connection was closed by the client
    });

    test("Q1.12 a stall before the first update on every attempt ends in RequestTimeoutError with the retries", async (t) => {
      const server = await useLoopbackServer(t, ssePlan([], { stallAfterHeaders: true }));
      const { error } = await readThrough(
        streamClient(transport, server.url, { idleTimeoutMs: 80, maxRetries: 1 }),
      );
      assert.ok(error instanceof RequestTimeoutError, String(error));
      assert.equal(error.partial, undefined);
      assert.deepEqual(
        error.retries.map((r) => r.outcome),
        ["timeout"],
      );
      assert.equal(server.requests.length, 2);
    });

    test("P4.5 abortSignal mid-stream: AbortError whose cause is the reason, partial kept, connection closed", async (t) => {
      const { server, closes } = await serverWithCloses(
        t,
        ssePlan([delta("Once"), delta(" upon")], { stallAfterHeaders: true }),
      );
      const controller = new AbortController();
      const reason = new Error("the user left");
      const stream = await streamClient(transport, server.url).complete({
        messages: hi,
        stream: true,
        abortSignal: controller.signal,
      });
      const updates: Json[] = [];
      let error: unknown;
      try {
        for await (const update of stream) {
          updates.push(update.asDict());
          if (updates.length === 2) setTimeout(() => controller.abort(reason), 20);
        }
      } catch (e) {
        error = e;
      }
      assert.equal(updates.length, 2);
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(error.cause, reason);
      assert.equal(error.partial?.choices[0].message.content, "Once upon");
      await closes[0];
      await assert.rejects(stream.finalChatCompletions(), (e) => e === error);
      assert.equal(server.requests.length, 1, "an abort is never retried");
    });

    test("P4.5 an abortSignal that fires before the first update is not retried either", async (t) => {
      const { server, closes } = await serverWithCloses(
        t,
        ssePlan([": ping\n\n"], { stallAfterHeaders: true }),
      );
      const controller = new AbortController();
      const stream = await streamClient(transport, server.url).complete({
        messages: hi,
        stream: true,
        abortSignal: controller.signal,
      });
      setTimeout(() => controller.abort("stop"), 30);
      const { error, updates } = await readAll(stream);
      assert.equal(updates.length, 0);
      assert.ok(error instanceof AbortError, String(error));
      assert.equal(error.cause, "stop");
      await closes[0];
      assert.equal(server.requests.length, 1);
    });

    test("P5.7 break closes the connection, and the server sees it", async (t) => {
      const { server, closes } = await serverWithCloses(
        t,
        ssePlan([delta("Once"), delta(" upon")], { stallAfterHeaders: true }),
      );
      const stream = await streamClient(transport, server.url).complete({ messages: hi, stream: true });
      for await (const update of stream) {
        assert.equal(update.text, "Once");
        break;
      }
      await closes[0];
      assert.equal(server.requests.length, 1);
    });

    test("P5.12 after break, finalChatCompletions() returns what arrived and reads nothing more", async (t) => {
      const { server, closes } = await serverWithCloses(
        t,
        ssePlan([delta("Once"), delta(" upon"), delta(" a time")], { pauseMs: 300 }),
      );
      const stream = await streamClient(transport, server.url).complete({ messages: hi, stream: true });
      for await (const _ of stream) break;
      const final = await stream.finalChatCompletions();
      assert.equal(final.choices[0].message.content, "Once");
      await closes[0];
      assert.equal((await stream.finalChatCompletions()).choices[0].message.content, "Once");
    });

    test("P5.12 close() mid-stream closes the connection; finalChatCompletions() keeps what arrived", async (t) => {
      const { server, closes } = await serverWithCloses(
        t,
        ssePlan([delta("Once"), delta(" upon")], { pauseMs: 300 }),
      );
      const stream = await streamClient(transport, server.url).complete({ messages: hi, stream: true });
      const iterator = stream[Symbol.asyncIterator]();
      assert.equal((await iterator.next()).value?.choices[0].delta.content, "Once");
      stream.close();
      assert.equal((await iterator.next()).done, true);
      await closes[0];
      const final = await stream.finalChatCompletions();
      assert.equal(final.choices[0].message.content, "Once");
      assert.equal(server.requests.length, 1);
    });

    test("P5.7 await using closes the connection at the end of the block", async (t) => {
      const { server, closes } = await serverWithCloses(
        t,
        ssePlan([delta("Once")], { stallAfterHeaders: true }),
      );
      {
        await using stream = await streamClient(transport, server.url).complete({
          messages: hi,
          stream: true,
        });
        assert.equal(stream.headers.get("content-type"), "text/event-stream");
      }
      await closes[0];
    });
  });
}

const sseType = { "content-type": "text/event-stream" };
