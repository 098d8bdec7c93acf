// The scripted engine (issue 14, "A scripted engine for testing apps"): replies from a script over
// real HTTP and real SSE, read by the SDK's own client over loopback.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ChatCompletionsClient,
  EmbeddingsClient,
  HttpResponseError,
  RateLimitError,
  UserMessage,
} from "../../src/index.js";
import {
  type ScriptedEngine,
  type ScriptedReply,
  createServer,
  parseScriptedReplies,
} from "../../src/server/index.js";
import { postJson } from "../support/tiny-server.js";

async function serve(t: { after(fn: () => unknown): void }, replies: readonly ScriptedReply[]) {
  const server = await createServer({ replies, log: false });
  const url = await server.listen();
  t.after(() => server.close());
  const client = new ChatCompletionsClient(url, null, { apiVersion: null, maxRetries: 0 });
  return { server, url, client };
}

const ask = (text: string) => ({ messages: [new UserMessage(text)] });

describe("issue 14 scripted engine: replies", () => {
  test("issue 14 replies are taken in order, as chat completions over HTTP", async (t) => {
    const { client, server } = await serve(t, [{ content: "first" }, { content: "second" }]);
    const one = await client.complete(ask("a"));
    const two = await client.complete(ask("b"));
    assert.equal(one.choices[0].message.content, "first");
    assert.equal(two.choices[0].message.content, "second");
    assert.equal(one.choices[0].finishReason, "stop");
    assert.match(one.id, /^chatcmpl-/);
    assert.ok(one.usage!.promptTokens > 0 && one.usage!.completionTokens > 0);
    assert.equal((server.engine as ScriptedEngine).remaining().length, 0);
  });

  test("issue 14 a reply is chosen by a substring of the last user message, before the ordered ones", async (t) => {
    const { client } = await serve(t, [
      { content: "in order" },
      { match: "weather", content: "sunny" },
      { match: "time", content: "noon", repeat: true },
    ]);
    assert.equal((await client.complete(ask("what time is it?"))).choices[0].message.content, "noon");
    assert.equal((await client.complete(ask("the weather?"))).choices[0].message.content, "sunny");
    assert.equal((await client.complete(ask("the weather again?"))).choices[0].message.content, "in order");
    assert.equal((await client.complete(ask("time again"))).choices[0].message.content, "noon", "repeat");
    // Only the last user message counts, and text parts are read.
    const answer = await client.complete({
      messages: [
        { role: "user", content: "weather" },
        { role: "assistant", content: "ok" },
        { role: "user", content: [{ type: "text", text: "what time" }] },
      ],
    });
    assert.equal(answer.choices[0].message.content, "noon");
  });

  test("issue 14 when the script has no reply left the answer is a 500 saying so", async (t) => {
    const { client } = await serve(t, [{ match: "only this", content: "x" }]);
    const error = await client.complete(ask("something else")).catch((e: unknown) => e);
    assert.ok(error instanceof HttpResponseError);
    assert.equal(error.statusCode, 500);
    assert.equal(error.code, "script_exhausted");
    assert.match(error.message, /no reply left.*1 reply given.*"something else"/);
  });

  test("issue 14 tool calls: arguments as objects or text, ids kept or generated, finish_reason tool_calls", async (t) => {
    const { client } = await serve(t, [
      {
        toolCalls: [
          { id: "call_1", name: "get_weather", arguments: { city: "Paris" } },
          { name: "get_time", arguments: '{"zone":"CET"}' },
        ],
      },
    ]);
    const answer = await client.complete(ask("weather and time?"));
    const calls = answer.choices[0].message.toolCalls!;
    assert.equal(answer.choices[0].finishReason, "tool_calls");
    assert.equal(calls[0].id, "call_1");
    assert.equal(calls[0].function.name, "get_weather");
    assert.deepEqual(JSON.parse(calls[0].function.arguments), { city: "Paris" });
    assert.match(calls[1].id, /^call_\w+$/);
    assert.equal(calls[1].function.arguments, '{"zone":"CET"}');
  });

  test("issue 14 an error status with its body and headers reaches the client as sent", async (t) => {
    const { client } = await serve(t, [
      {
        status: 429,
        headers: { "retry-after": "7", "x-ratelimit-remaining-requests": "0" },
        body: { error: { code: "rate_limited", message: "Slow down." } },
      },
      { status: 503, body: "upstream down", headers: { "content-type": "text/plain" } },
    ]);
    const limited = await client.complete(ask("a")).catch((e: unknown) => e);
    assert.ok(limited instanceof RateLimitError);
    assert.equal(limited.retryAfterMs, 7000);
    assert.equal(limited.code, "rate_limited");
    assert.match(limited.message, /^429 Slow down\./);
    assert.deepEqual(limited.rateLimits, { "x-ratelimit-remaining-requests": "0" });
    // A raw reply is sent whatever the request asked, a stream included.
    const down = await client.complete({ ...ask("b"), stream: true }).catch((e: unknown) => e);
    assert.ok(down instanceof HttpResponseError);
    assert.equal(down.statusCode, 503);
    assert.equal(down.body, "upstream down");
  });

  test(
    "issue 14 a streamed reply sends its chunks as separate events, with the delay between them",
    { timeout: 20_000 },
    async (t) => {
      const { client } = await serve(t, [
        { content: ["Hel", "lo ", "world"], delayMs: 5 },
        { content: ["first", "never"], delayMs: 600_000 },
      ]);
      const stream = await client.complete({ ...ask("hi"), stream: true, includeUsage: true });
      const pieces: string[] = [];
      for await (const update of stream) {
        const text = update.choices?.[0]?.delta?.content;
        if (typeof text === "string") pieces.push(text);
      }
      assert.deepEqual(pieces, ["Hel", "lo ", "world"]);
      // The delay is real: the first chunk is read while the second waits out its ten minutes.
      const slow = await client.complete({ ...ask("slow"), stream: true });
      for await (const update of slow) {
        if (update.text === "first") break;
      }
      const final = await stream.finalChatCompletions();
      assert.equal(final.choices[0].message.content, "Hello world");
      assert.equal(final.choices[0].finishReason, "stop");
      assert.ok(final.usage!.totalTokens > 0, "include_usage gives the usage chunk");
    },
  );

  test("issue 14 a non-streamed request joins a streamed reply's chunks; a stream carries tool calls", async (t) => {
    const { client } = await serve(t, [
      { content: ["a", "b"] },
      { content: "Let me check.", toolCalls: [{ id: "c1", name: "lookup", arguments: { q: 1 } }] },
    ]);
    assert.equal((await client.complete(ask("x"))).choices[0].message.content, "ab");
    const stream = await client.complete({ ...ask("y"), stream: true });
    const final = await stream.finalChatCompletions();
    assert.equal(final.choices[0].message.content, "Let me check.");
    assert.equal(final.choices[0].message.toolCalls![0].function.name, "lookup");
    assert.equal(final.choices[0].finishReason, "tool_calls");
  });

  test("issue 14 a stream error after the chunks reaches the client with what arrived as partial (P5.10)", async (t) => {
    const { client } = await serve(t, [
      { content: ["partial ", "answer"], streamError: { message: "model crashed", code: "engine_failure" } },
    ]);
    const stream = await client.complete({ ...ask("z"), stream: true });
    const error = await stream.finalChatCompletions().catch((e: unknown) => e);
    assert.ok(error instanceof HttpResponseError);
    assert.equal(error.code, "engine_failure");
    assert.match(error.message, /model crashed/);
    assert.equal(error.partial?.choices[0].message.content, "partial answer");
  });

  test("issue 14 the reply names the requested model, else 'scripted'; /v1/models lists it", async (t) => {
    const { client, server } = await serve(t, [{ content: "a", repeat: true }]);
    assert.equal((await client.complete({ ...ask("x"), model: "gpt-4o" })).model, "gpt-4o");
    assert.equal((await client.complete(ask("x"))).model, "scripted");
    const models = (await (await server.fetch("/v1/models")).json()) as { data: { id: string }[] };
    assert.deepEqual(
      models.data.map((m) => m.id),
      ["scripted"],
    );
  });

  test("issue 14 embeddings are stable per text, of unit length, of the asked dimensions", async (t) => {
    const { url } = await serve(t, []);
    const client = new EmbeddingsClient(url, null, { apiVersion: null });
    const result = await client.embed({ input: ["cat", "dog", "cat"], dimensions: 32 });
    const [cat, dog, again] = result.data.map((item) => item.embedding as number[]);
    assert.equal(cat.length, 32);
    assert.deepEqual(cat, again);
    assert.notDeepEqual(cat, dog);
    assert.ok(Math.abs(Math.hypot(...cat) - 1) < 1e-9);
  });

  test("issue 14 a request without messages is a 400, and the reply is not used up", async (t) => {
    const { server } = await serve(t, [{ content: "kept" }]);
    const response = await postJson(server.fetch, "/v1/chat/completions", { messages: [] });
    assert.equal(response.status, 400);
    assert.equal((server.engine as ScriptedEngine).remaining().length, 1);
  });

  test(
    "issue 14 a client that leaves a slow stream stops it (close() need not wait out the delay)",
    { timeout: 20_000 },
    async (t) => {
      const { client, server } = await serve(t, [{ content: ["a", "b"], delayMs: 600_000 }]);
      const stream = await client.complete({ ...ask("x"), stream: true });
      for await (const update of stream) {
        if (update.text === "a") break;
      }
      // With the stream still waiting out its ten minutes, close() would wait as long: the test's timeout fails it.
      await server.close({ deadlineMs: 600_000 });
    },
  );
});

describe("issue 14 scripted engine: checking the script", () => {
  test("issue 14 a JSON lines script is read line by line; blank and // lines are skipped", () => {
    const replies = parseScriptedReplies(
      '// greeting\n{"content": "hi"}\n\n{"match": "x", "toolCalls": [{"name": "f"}]}\r\n',
      "replies.jsonl",
    );
    assert.equal(replies.length, 2);
    assert.equal(replies[1].match, "x");
  });

  test("issue 14 a bad reply is refused when the server starts, naming its line and the problem", async () => {
    assert.throws(() => parseScriptedReplies('{"content": "a"}\n{"contnet": "b"}', "r.jsonl"), {
      name: "TypeError",
      message: /r\.jsonl line 2: unknown key "contnet"/,
    });
    assert.throws(() => parseScriptedReplies("{nope", "r.jsonl"), /r\.jsonl line 1: not JSON/);
    assert.throws(() => parseScriptedReplies('{"status": 700}'), /status must be an HTTP status/);
    assert.throws(() => parseScriptedReplies('{"status": 500, "content": "x"}'), /cannot have "content"/);
    assert.throws(() => parseScriptedReplies('{"delayMs": 5}'), /needs content, toolCalls or status/);
    assert.throws(() => parseScriptedReplies('{"content": [1]}'), /array of strings/);
    assert.throws(() => parseScriptedReplies('{"toolCalls": [{}]}'), /toolCalls\[0\] needs a name/);
    await assert.rejects(
      createServer({ replies: [{ body: "x" }] as never, log: false }),
      /replies\[0\]: body and headers belong to a raw reply/,
    );
  });
});
