// P5.13 end to end against this project's own server with the real llama engine and the tiny model:
// the streamed answer, accumulated by `finalChatCompletions()`, deep-equals the non-streamed reply to
// the same request, apart from `id` and `created`. In-process (`fetch: server.fetch`) and over HTTP
// on both transports.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  ChatCompletionsClient,
  type ChatCompletionsClientOptions,
  type CompleteOptions,
} from "../../src/index.js";
import type { InferenceServer } from "../../src/server/index.js";
import { startTinyServer } from "../support/tiny-server.js";
import { transports } from "../support/transports.js";

type Json = Record<string, unknown>;

let server: InferenceServer;
let url: string;
before(async () => {
  server = await startTinyServer();
  url = await server.listen({ port: 0 });
});
after(() => server.close());

const greedy: CompleteOptions = {
  messages: [{ role: "user", content: "tell me about the sun" }],
  maxTokens: 20,
  temperature: 0,
};
// With the tiny model's defaults, this prompt and seed are known to call the tool
// (test/server/chat-completions.test.ts).
const calling: CompleteOptions = {
  messages: [{ role: "user", content: "What is the weather in Paris?" }],
  tools: [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Weather in a city",
        parameters: {
          type: "object",
          properties: { city: { type: "string", maxLength: 20 }, unit: { enum: ["C", "F"] } },
          required: ["city", "unit"],
        },
      },
    },
  ],
  seed: 3,
  temperature: 0.7,
  maxTokens: 60,
};

/** The reply without what differs between two calls: `id`, `created`, and tool call ids. */
function comparable(reply: Json): Json {
  const choices = (reply.choices as Json[]).map((choice) => {
    const message = choice.message as Json;
    const calls = message.tool_calls as Json[] | undefined;
    return calls === undefined
      ? choice
      : { ...choice, message: { ...message, tool_calls: calls.map((call) => ({ ...call, id: "" })) } };
  });
  return { ...reply, id: "", created: 0, choices };
}

async function bothWays(options: ChatCompletionsClientOptions, request: CompleteOptions, endpoint = url) {
  const client = new ChatCompletionsClient(endpoint, null, { apiVersion: null, ...options });
  const stream = await client.complete({ ...request, stream: true });
  let updates = 0;
  for await (const _ of stream) updates++;
  const streamed = (await stream.finalChatCompletions()).asDict();
  const plain = (await client.complete({ ...request, stream: false })).asDict();
  return { streamed, plain, updates };
}

describe("P5.13 in-process (fetch: server.fetch)", () => {
  test("P5.13 the streamed answer equals the non-streamed reply (text), usage included", async () => {
    const { streamed, plain, updates } = await bothWays({ fetch: server.fetch }, greedy, "http://local");
    assert.ok(updates > 3);
    assert.equal((streamed.usage as Json).completion_tokens, 20, "the usage-only chunk arrived (P5.6)");
    assert.deepEqual({ ...streamed, id: plain.id, created: plain.created }, plain);
  });

  test("P5.13 the streamed answer equals the non-streamed reply (tool calls)", async () => {
    const { streamed, plain } = await bothWays({ fetch: server.fetch }, calling, "http://local");
    assert.equal(((plain.choices as Json[])[0] as Json).finish_reason, "tool_calls");
    assert.deepEqual(comparable(streamed), comparable(plain));
  });
});

for (const transport of transports) {
  describe(`P1.11 over HTTP with ${transport.name}`, () => {
    test("P5.13 the streamed answer equals the non-streamed reply (text)", async () => {
      const { streamed, plain } = await bothWays(transport.options, greedy);
      assert.match(String(streamed.id), /^chatcmpl-/);
      assert.deepEqual({ ...streamed, id: plain.id, created: plain.created }, plain);
    });

    test("P5.13 the streamed answer equals the non-streamed reply (tool calls)", async () => {
      const { streamed, plain } = await bothWays(transport.options, calling);
      assert.deepEqual(comparable(streamed), comparable(plain));
    });
  });
}
