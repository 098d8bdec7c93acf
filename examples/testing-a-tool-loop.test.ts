// Testing an app's tool loop offline, against the scripted engine (docs/server.md, "Testing an app
// offline"): the server answers from a script, over real HTTP and real SSE, so the app's own code
// runs unchanged, without a model or a network. Here the "app" is a weather assistant that calls a
// tool and then answers; the script plays the model.
// Run: npm run build && node --import tsx --test examples/testing-a-tool-loop.test.ts
import { test } from "node:test";
import assert from "node:assert/strict";
import * as z from "zod";
import { ChatCompletionsClient, RateLimitError, UserMessage } from "ai-inference";
import { createServer } from "ai-inference/server";
import { defineTool, runTools } from "ai-inference/tools";

/** The app under test: asks the model, which may call get_weather, and returns its answer. */
async function weatherAssistant(client: ChatCompletionsClient, question: string) {
  const getWeather = defineTool({
    name: "get_weather",
    description: "The current weather in a city",
    parameters: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, sky: city === "Paris" ? "sunny" : "rainy", celsius: 21 }),
  });
  return runTools(client, { messages: [new UserMessage(question)], tools: [getWeather], maxRounds: 3 });
}

test("the assistant calls the tool, sends its result back, and answers", async (t) => {
  // The script: first the model calls the tool, then it answers (chosen because the last user
  // message... is still the question; replies without `match` are taken in order).
  const server = await createServer({
    log: false,
    replies: [
      { toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }] },
      { content: ["It is ", "sunny in Paris."], delayMs: 5 },
    ],
  });
  t.after(() => server.close());
  const url = await server.listen();
  const client = new ChatCompletionsClient(url, null, { apiVersion: null });

  const result = await weatherAssistant(client, "What is the weather in Paris?");

  assert.equal(result.content, "It is sunny in Paris.");
  assert.equal(result.rounds, 2);
  assert.deepEqual(JSON.parse(result.toolResults[0].output), { city: "Paris", sky: "sunny", celsius: 21 });
  assert.deepEqual(
    result.messages.map((m) => m.role),
    ["user", "assistant", "tool", "assistant"],
  );
});

test("the assistant surfaces a rate limit instead of hanging", async (t) => {
  const server = await createServer({
    log: false,
    replies: [
      { status: 429, headers: { "retry-after": "120" }, body: { error: { message: "Too many requests" } } },
    ],
  });
  t.after(() => server.close());
  const client = new ChatCompletionsClient(await server.listen(), null, { apiVersion: null });

  // 120 s is more than the client waits (maxRetryDelayMs, 60 s): it fails at once, saying how long.
  const error = await weatherAssistant(client, "Weather?").catch((e: unknown) => e);
  assert.ok(error instanceof RateLimitError);
  assert.equal(error.retryAfterMs, 120_000);
});
