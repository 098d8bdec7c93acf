import { test } from "node:test";
import assert from "node:assert/strict";
import { knownChatKeys, readChatRequest } from "../../../src/server/request/chat-request.js";

const read = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  readChatRequest({ messages: [{ role: "user", content: "hi" }], ...body }, new Headers(headers));

test("S1.5 the known keys are P1.2's, OpenAI-only ones and stream_options included", () => {
  for (const key of [
    "messages",
    "max_tokens",
    "response_format",
    "modalities",
    "max_completion_tokens",
    "n",
    "logit_bias",
    "parallel_tool_calls",
    "stream_options",
    "stream",
  ]) {
    assert.ok(knownChatKeys.has(key), key);
  }
  assert.ok(!knownChatKeys.has("top_k"));
});

test("S1.4 a minimal request gets the engine defaults left open", () => {
  const { engineRequest, stream, includeUsage } = read({});
  assert.equal(stream, false);
  assert.equal(includeUsage, false);
  assert.equal(engineRequest.temperature, undefined);
  assert.equal(engineRequest.maxTokens, undefined);
  assert.deepEqual(engineRequest.stop, []);
  assert.deepEqual(engineRequest.responseFormat, { type: "text" });
  assert.equal(engineRequest.toolChoice, "auto");
  assert.equal(engineRequest.parallelToolCalls, true);
});

test("S1.4 values are normalised: stop string, text parts, tool choice, response format", () => {
  const { engineRequest, includeUsage } = read({
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "a" },
          { type: "text", text: "b" },
        ],
        name: "ann",
      },
    ],
    stop: "END",
    stream: true,
    stream_options: { include_usage: true },
    tools: [
      {
        type: "function",
        function: { name: "f", description: "d", parameters: { type: "object" }, strict: true },
      },
    ],
    tool_choice: { type: "function", function: { name: "f" } },
    max_completion_tokens: 9,
  });
  assert.deepEqual(engineRequest.messages, [{ role: "user", content: "a\nb", name: "ann" }]);
  assert.deepEqual(engineRequest.stop, ["END"]);
  assert.equal(includeUsage, true);
  assert.deepEqual(engineRequest.tools, [
    { name: "f", description: "d", parameters: { type: "object" }, strict: true },
  ]);
  assert.deepEqual(engineRequest.toolChoice, { name: "f" });
  assert.equal(engineRequest.maxTokens, 9);
});

test("S1.5 pass-through keys reach the engine in an object without a prototype", () => {
  const { engineRequest } = read({ top_k: 4, ["__proto__"]: 1 }, { "extra-parameters": "pass-through" });
  assert.equal(engineRequest.extra.top_k, 4);
  assert.equal(Object.getPrototypeOf(engineRequest.extra), null);
  const dropped = read({ top_k: 4 }, { "extra-parameters": "drop" });
  assert.deepEqual(Object.keys(dropped.engineRequest.extra), []);
});

test("S1.5 the older unknown-parameters header is honoured too", () => {
  assert.doesNotThrow(() => read({ top_k: 4 }, { "unknown-parameters": "drop" }));
  assert.throws(() => read({ top_k: 4 }, { "unknown-parameters": "error" }), /'top_k'/);
});
