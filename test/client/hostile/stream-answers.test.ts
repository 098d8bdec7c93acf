// Issue 9, "streams say what happened" (P5.3), over real HTTP on both transports: a server that
// ignores `stream: true` and answers with JSON, one that answers with something else entirely, and
// events named other than `error`. Never "done" with zero updates.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { HttpResponseError, ServiceResponseError } from "../../../src/index.js";
import { useLoopbackServer } from "../../support/loopback-server.js";
import { completionBody, toolCall } from "../../support/chat-replies.js";
import { readThrough, ssePlan, streamClient } from "../../support/read-stream.js";
import { transports } from "../../support/transports.js";

for (const transport of transports) {
  describe(`issue 9 over ${transport.name}`, () => {
    test("P5.3 a JSON answer to stream: true is one update, and finalChatCompletions() equals it", async (t) => {
      const answer: Record<string, unknown> = {
        ...completionBody({
          content: "Paris.",
          toolCalls: [toolCall("call_1", "lookup", { city: "Paris" })],
        }),
        system_fingerprint: "fp_1",
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
      };
      const server = await useLoopbackServer(t, {
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify(answer),
      });
      const { updates, final, error } = await readThrough(streamClient(transport, server.url));
      assert.equal(error, undefined);
      assert.equal(updates.length, 1);
      assert.equal(updates[0].object, "chat.completion.chunk");
      const [choice] = updates[0].choices as Record<string, unknown>[];
      assert.deepEqual(choice.delta, (answer.choices as { message: unknown }[])[0].message);
      assert.deepEqual(final, answer);
      assert.equal(server.requests.length, 1, "not retried");
    });

    test("P5.3 a JSON error answer to stream: true is the service's error", async (t) => {
      const server = await useLoopbackServer(t, {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ error: { code: "busy", message: "Try later" } }),
      });
      const { updates, error } = await readThrough(streamClient(transport, server.url));
      assert.equal(updates.length, 0);
      assert.ok(error instanceof HttpResponseError, String(error));
      assert.equal(error.message, "200 Try later");
      assert.equal(error.code, "busy");
    });

    test("P5.3 a JSON answer that is not a completion is a clear error, not an empty stream", async (t) => {
      const server = await useLoopbackServer(t, {
        headers: { "content-type": "application/json" },
        body: "[1, 2, 3]",
      });
      const { updates, error } = await readThrough(streamClient(transport, server.url));
      assert.equal(updates.length, 0);
      assert.ok(error instanceof ServiceResponseError, String(error));
      assert.match(
        error.message,
        /answered a streamed request with JSON that is not a chat completion: \[1, 2, 3\]/,
      );
    });

    test("P5.3 any other answer to stream: true is an error naming what came instead, with its body", async (t) => {
      const server = await useLoopbackServer(t, {
        headers: { "content-type": "text/html" },
        body: "<html><title>Sign in</title><body>Please sign in to continue</body></html>",
      });
      const client = streamClient(transport, server.url);
      const error = await client.complete({ messages: [{ role: "user", content: "hi" }], stream: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof HttpResponseError, String(error));
      assert.equal(error.statusCode, 200);
      assert.equal(
        error.message,
        "200 Sign in Please sign in to continue (a streamed request was answered with text/html, not an event stream)",
      );
      assert.match(String(error.body), /^<html>/);
      assert.ok(error.requestId);
      assert.equal(server.requests.length, 1, "not retried");
    });

    test("P5.3 events named chunk carry chunks, and event: done with data: [DONE] ends the stream", async (t) => {
      const chunk = (content: string) =>
        `event: chunk\ndata: {"choices":[{"index":0,"delta":{"content":"${content}"}}]}\n\n`;
      // After [DONE] the server keeps writing and never ends: the stream must not read on.
      const server = await useLoopbackServer(t, {
        ...ssePlan([chunk("a"), chunk("b"), "event: done\ndata: [DONE]\n\n", chunk("never")]),
        stallAfterHeaders: true,
      });
      const { updates, final, error } = await readThrough(streamClient(transport, server.url));
      assert.equal(error, undefined);
      assert.equal(updates.length, 2);
      assert.equal((final!.choices as { message: { content: string } }[])[0].message.content, "ab");
    });
  });
}
