// Issue 9, "time limits hold" (P4.2, P4.4): `timeoutMs` bounds each attempt from its start, getting
// a token included, so a credential that never answers cannot hang a call; and fractional
// `Retry-After` seconds are waited exactly.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ChatCompletionsClient, RequestTimeoutError, type TokenCredential } from "../../../src/index.js";
import { parseRetryAfter } from "../../../src/client/retry-policy.js";
import { useLoopbackServer } from "../../support/loopback-server.js";
import { hiMessages, okReply } from "../../support/chat-replies.js";
import { transports } from "../../support/transports.js";

/** A token credential whose getToken never settles, counting its calls. */
function silentCredential(): TokenCredential & { calls: number } {
  const credential = {
    calls: 0,
    getToken: () => {
      credential.calls++;
      return new Promise<never>(() => {});
    },
  };
  return credential;
}

for (const transport of transports) {
  describe(`issue 9 time limits over ${transport.name}`, () => {
    test("P4.4 a getToken that never resolves fails each attempt at timeoutMs; nothing is sent", async (t) => {
      const server = await useLoopbackServer(t, okReply);
      const credential = silentCredential();
      const client = new ChatCompletionsClient(server.url, credential, {
        ...transport.options,
        timeoutMs: 80,
        maxRetries: 1,
        retryDelayMs: 1,
      });
      const error = await client.complete({ messages: hiMessages }).catch((e: unknown) => e);
      assert.ok(error instanceof RequestTimeoutError, String(error));
      assert.match(error.message, /: the token credential gave no token within timeoutMs \(80 ms\)\.$/);
      assert.deepEqual(
        error.retries.map((r) => r.outcome),
        ["timeout"],
        "the first attempt timed out and was retried",
      );
      assert.equal(server.requests.length, 0);
      assert.equal(credential.calls, 1, "the retry waited on the same token request, not a second one");
    });

    test("P4.4 a streamed call waiting for a token is bounded the same way", async (t) => {
      const server = await useLoopbackServer(t, okReply);
      const client = new ChatCompletionsClient(server.url, silentCredential(), {
        ...transport.options,
        timeoutMs: 60,
        maxRetries: 0,
      });
      const error = await client.complete({ messages: hiMessages, stream: true }).catch((e: unknown) => e);
      assert.ok(error instanceof RequestTimeoutError, String(error));
      assert.equal(server.requests.length, 0);
    });

    test("P4.2 Retry-After: 0.5 waits 500 ms, recorded as such", async (t) => {
      const server = await useLoopbackServer(
        t,
        { status: 503, headers: { "retry-after": "0.5" }, body: "busy" },
        okReply,
      );
      const waits: number[] = [];
      const client = new ChatCompletionsClient(server.url, null, {
        ...transport.options,
        maxRetries: 1,
        logger: {
          debug() {},
          info() {},
          error() {},
          warn: (line) => waits.push(Number(/retrying in (\d+) ms/.exec(line)?.[1])),
        },
      });
      await client.complete({ messages: hiMessages });
      assert.deepEqual(waits, [500]);
      assert.equal(server.requests.length, 2);
    });
  });
}

test("P4.2 fractional Retry-After seconds are exact to the millisecond, and only past it rounded up", () => {
  const header = (value: string) => (name: string) => (name === "retry-after" ? value : null);
  const ms = (value: string) => parseRetryAfter(header(value), 0)?.ms;
  assert.equal(ms("0.5"), 500);
  assert.equal(ms("1.1"), 1100, "not 1100.0000000000002 rounded up");
  assert.equal(ms("2.25"), 2250);
  assert.equal(ms("0.0001"), 1);
  assert.equal(ms("3"), 3000);
  assert.equal(ms("0"), 0);
});
