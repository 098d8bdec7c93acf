import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  AzureKeyCredential,
  ChatCompletions,
  ChatCompletionsClient,
  JsonSchemaFormat,
  StreamingChatCompletions,
  SystemMessage,
  UserMessage,
  type ResponseInfo,
} from "../../src/index.js";
import { useLoopbackServer } from "../support/loopback-server.js";
import { captureChunks, loadRecording } from "../support/recordings.js";
import { responsePlan } from "../support/replay.js";
import { transports } from "../support/transports.js";

const completion = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1736389070,
  model: "mistral-large-2411",
  choices: [
    {
      index: 0,
      finish_reason: "stop",
      message: { role: "assistant", content: "5,280 feet.", tool_calls: null },
    },
  ],
  usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 },
  x_vendor: { kept: true },
};
const messages = [{ role: "user", content: "How many feet are in a mile?" }];

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    test("P1 complete() posts to /chat/completions and returns a ChatCompletions model", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(server.url, new AzureKeyCredential("k"), transport.options);
      const result = await client.complete({ messages, maxTokens: 20 });
      assert.ok(result instanceof ChatCompletions);
      assert.equal(result.choices[0].message.content, "5,280 feet.");
      assert.deepEqual(result.asDict(), completion, "every key kept");
      const [sent] = server.requests;
      assert.equal(sent.method, "POST");
      assert.equal(sent.path, "/chat/completions");
      assert.deepEqual(sent.query, { "api-version": "2024-05-01-preview" });
      assert.deepEqual(sent.json(), { messages, max_tokens: 20 });
    });

    test("P2.5 headers on every request: accept, content-type, user agent, request id", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(server.url, null, {
        ...transport.options,
        userAgentPrefix: "my-app/2.0",
      });
      await client.complete({ messages });
      const { headers } = server.requests[0];
      assert.equal(headers.accept, "application/json");
      assert.equal(headers["content-type"], "application/json");
      assert.match(
        headers["user-agent"]!,
        /^my-app\/2\.0 ai-inference-js\/\d+\.\d+\.\d+ Node\.js\/20\.\d+\.\d+ \(linux; x64\)$/,
      );
      assert.match(headers["x-ms-client-request-id"] as string, /^[0-9a-f-]{36}$/);
      assert.equal(headers.authorization, undefined, "P2.1 credential null sends no authentication");
      assert.equal(headers["api-key"], undefined);
    });

    test("P2.5 custom headers per client and per call; a null value removes a default", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(server.url, null, {
        ...transport.options,
        headers: { "X-Client": "c", "X-Both": "client", "x-ms-client-request-id": null },
      });
      await client.complete({ messages, headers: { "x-both": "call", "X-Call": "1", "user-agent": null } });
      const { headers } = server.requests[0];
      assert.equal(headers["x-client"], "c");
      assert.equal(headers["x-both"], "call");
      assert.equal(headers["x-call"], "1");
      assert.equal(headers["x-ms-client-request-id"], undefined);
      assert.ok(headers["user-agent"] === undefined || !headers["user-agent"].includes("ai-inference-js"));
    });

    test("P1.1 apiVersion sets another version; null sends none", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      await new ChatCompletionsClient(server.url, null, {
        ...transport.options,
        apiVersion: "2024-10-21",
      }).complete({ messages });
      await new ChatCompletionsClient(`${server.url}/v1/`, null, {
        ...transport.options,
        apiVersion: null,
      }).complete({ messages });
      assert.deepEqual(server.requests[0].query, { "api-version": "2024-10-21" });
      assert.equal(server.requests[1].url, "/v1/chat/completions");
    });

    test("P1.6 client defaults are used when a call leaves them unset", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(server.url, null, {
        ...transport.options,
        defaults: { model: "mistral-large", temperature: 0.2, maxTokens: 100 },
      });
      await client.complete({ messages, temperature: 0.9 });
      assert.deepEqual(server.requests[0].json(), {
        messages,
        temperature: 0.9,
        max_tokens: 100,
        model: "mistral-large",
      });
    });

    test("P1.5 model extras from client and call go to the top level with extra-parameters: pass-through", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(server.url, null, {
        ...transport.options,
        modelExtras: { safe_prompt: true },
      });
      await client.complete({ messages, modelExtras: { top_k: 2 } });
      await client.complete({ messages, modelExtras: { safe_prompt: undefined } });
      assert.deepEqual(server.requests[0].json(), { messages, safe_prompt: true, top_k: 2 });
      assert.equal(server.requests[0].headers["extra-parameters"], "pass-through");
      assert.deepEqual(server.requests[1].json(), { messages }, "an undefined extra removes the client's");
      assert.equal(server.requests[1].headers["extra-parameters"], undefined);
    });

    test("P1.5 no extra-parameters header for Azure OpenAI endpoints", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(
        `${server.url}/openai/deployments/gpt-4o`,
        null,
        transport.options,
      );
      await client.complete({ messages, n: 1, modelExtras: { data_sources: [] } });
      assert.equal(server.requests[0].path, "/openai/deployments/gpt-4o/chat/completions");
      assert.equal(server.requests[0].headers["extra-parameters"], undefined);
      assert.deepEqual(server.requests[0].json(), { messages, n: 1, data_sources: [] });
    });

    test("P1.7 a raw body is sent exactly: object, string, bytes", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(server.url, null, {
        ...transport.options,
        defaults: { temperature: 1 },
        modelExtras: { a: 1 },
      });
      await client.complete({ body: { messages, custom: [1, 2] } });
      const text = '{ "messages" : [ {"role":"user","content":"é"} ] }';
      await client.complete({ body: text });
      await client.complete({ body: new TextEncoder().encode(text) });
      assert.deepEqual(server.requests[0].json(), { messages, custom: [1, 2] });
      assert.equal(server.requests[0].headers["extra-parameters"], undefined);
      assert.equal(server.requests[1].text, text);
      assert.equal(server.requests[2].text, text);
    });

    test("P1.4 responseFormat is converted before sending; a bad one rejects before any request", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      await client.complete({
        messages,
        responseFormat: new JsonSchemaFormat({ name: "feet", schema: { type: "object" } }),
      });
      assert.deepEqual(server.requests[0].json(), {
        messages,
        response_format: { type: "json_schema", json_schema: { name: "feet", schema: { type: "object" } } },
      });
      await assert.rejects(client.complete({ messages, responseFormat: "xml" as "text" }), TypeError);
      assert.equal(server.requests.length, 1);
    });

    test("P1.8 messages may be models or plain objects, mixed", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      await client.complete({
        messages: [new SystemMessage("Be brief."), { role: "user", content: "hi" }, new UserMessage("again")],
      });
      assert.deepEqual((server.requests[0].json() as { messages: unknown }).messages, [
        { role: "system", content: "Be brief." },
        { role: "user", content: "hi" },
        { role: "user", content: "again" },
      ]);
    });

    test("P1.3 an unknown option rejects with TypeError before any request", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      await assert.rejects(
        client.complete({ messages, topK: 1 } as never),
        (e: Error) => e instanceof TypeError && e.message.includes("topK"),
      );
      assert.equal(server.requests.length, 0);
    });

    test("P5.7 complete({ stream: true }) resolves to a StreamingChatCompletions over the same request path", async (t) => {
      const entry = loadRecording("chat_test_suite/recording_chat_streaming_test").entries[0];
      const server = await useLoopbackServer(t, responsePlan(entry));
      const client = new ChatCompletionsClient(
        server.url,
        new AzureKeyCredential("stream-key-1"),
        transport.options,
      );
      const stream = await client.complete({ messages, stream: true });
      assert.ok(stream instanceof StreamingChatCompletions);
      assert.equal(stream.headers.get("content-type")?.split(";")[0], "text/event-stream");
      const final = await stream.finalChatCompletions();
      const expected = captureChunks({ events: entry.ResponseBody as string[] })
        .flatMap((chunk) =>
          (chunk.choices as { delta?: { content?: string } }[]).map((c) => c.delta?.content ?? ""),
        )
        .join("");
      assert.equal(final.choices[0].message.content, expected);
      const sent = server.requests[0];
      assert.equal(sent.headers.accept, "text/event-stream");
      assert.equal(sent.headers["api-key"], "stream-key-1");
      assert.equal((sent.json() as { stream: boolean }).stream, true);
    });

    test("P1.11 onResponse receives status, headers, url, requestId and attempt for every attempt", async (t) => {
      const server = await useLoopbackServer(
        t,
        {
          status: 503,
          headers: { "retry-after-ms": "1", "x-request-id": "svc-1" },
          body: { error: { message: "busy" } },
        },
        {
          headers: { "x-request-id": "svc-2", "x-ms-region": "East US 2", "azureml-model-session": "s" },
          body: completion,
        },
      );
      const seen: ResponseInfo[] = [];
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      await client.complete({ messages, onResponse: (r) => seen.push(r) });
      assert.deepEqual(
        seen.map((r) => [r.status, r.attempt, r.headers.get("x-request-id")]),
        [
          [503, 1, "svc-1"],
          [200, 2, "svc-2"],
        ],
      );
      assert.ok(seen[1].headers instanceof Headers);
      assert.equal(
        seen[1].headers.get("x-ms-region"),
        "East US 2",
        "P7 headers worth surfacing are reachable",
      );
      assert.equal(seen[1].url, `${server.url}/chat/completions?api-version=2024-05-01-preview`);
      assert.equal(seen[0].requestId, server.requests[0].headers["x-ms-client-request-id"]);
      assert.equal(seen[0].requestId, seen[1].requestId, "one request id across retries");
    });

    test("P1.11 an onResponse that throws fails the call with its own error, unretried", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      const mine = new Error("mine");
      await assert.rejects(
        client.complete({
          messages,
          onResponse: () => {
            throw mine;
          },
        }),
        (e) => e === mine,
      );
      assert.equal(server.requests.length, 1);
    });

    test("P1.10 request options are never sent in the body", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      await client.complete({
        messages,
        timeoutMs: 5000,
        maxRetries: 0,
        headers: {},
        abortSignal: new AbortController().signal,
        onResponse() {},
      });
      assert.deepEqual(server.requests[0].json(), { messages });
    });

    test("P2.6 redirects are followed (at most 5 hops), keeping the method and body for 307/308", async (t) => {
      const server = await useLoopbackServer(t, (request, reply) =>
        request.path === "/final/chat/completions"
          ? reply({ body: completion })
          : reply({
              status: 307,
              headers: { location: "/final/chat/completions?api-version=2024-05-01-preview" },
            }),
      );
      const client = new ChatCompletionsClient(server.url, new AzureKeyCredential("k"), transport.options);
      const result = await client.complete({ messages });
      assert.equal(result.id, "chatcmpl-1");
      assert.deepEqual(
        server.requests.map((r) => [r.method, r.path]),
        [
          ["POST", "/chat/completions"],
          ["POST", "/final/chat/completions"],
        ],
      );
      assert.deepEqual(server.requests[1].json(), { messages });
      assert.equal(server.requests[1].headers["api-key"], "k", "same origin keeps the credential");
    });

    test("P2.6 more than 5 redirects is an error", async (t) => {
      const server = await useLoopbackServer(t, (request, reply) =>
        reply({ status: 307, headers: { location: `/hop${server.requests.length}` } }),
      );
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      await assert.rejects(client.complete({ messages }), /redirected more than 5 times/);
      assert.equal(server.requests.length, 6);
    });

    test("P3.3 inspecting a client shows the endpoint, never the key", async (t) => {
      const server = await useLoopbackServer(t, { body: completion });
      const key = "sk-inspect-me-not-123";
      const client = new ChatCompletionsClient(server.url, new AzureKeyCredential(key), {
        ...transport.options,
        headers: { "x-api-key": key },
      });
      for (const text of [
        inspect(client, { showHidden: true, depth: 10 }),
        String(client),
        JSON.stringify(client),
      ]) {
        assert.ok(!text.includes(key), text);
      }
      assert.match(
        inspect(client),
        /ChatCompletionsClient \{ endpoint: "http:\/\/127\.0\.0\.1:\d+", kind: "model-inference"/,
      );
    });
  });
}

test("P2.1 a missing endpoint or an undefined credential throws TypeError at construction", () => {
  assert.throws(() => new ChatCompletionsClient(undefined as unknown as string, null), /endpoint is missing/);
  assert.throws(
    () => new ChatCompletionsClient("https://h.example", undefined as never),
    /credential is missing/,
  );
  assert.throws(() => new ChatCompletionsClient("https://h.example", "key" as never), /AzureKeyCredential/);
  assert.throws(() => new ChatCompletionsClient("https://h.example", {} as never), /not a credential/);
  assert.doesNotThrow(() => new ChatCompletionsClient("https://h.example", { key: "plain object key" }));
  assert.doesNotThrow(() => new ChatCompletionsClient("https://h.example", { getToken: async () => null }));
});

test("P2.7 proxy and dispatcher options are checked at construction", () => {
  assert.throws(() => new ChatCompletionsClient("https://h.example", null, { proxy: "nope" }), /proxy/);
  assert.throws(
    () => new ChatCompletionsClient("https://h.example", null, { dispatcher: {} as never }),
    /dispatcher/,
  );
});
