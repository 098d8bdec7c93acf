import { test } from "node:test";
import assert from "node:assert/strict";
import { toChatHistory } from "../../../src/server/engine/chat-history.js";

test("S2.2 messages become node-llama-cpp's history, ending with an empty model turn", () => {
  const history = toChatHistory([
    { role: "system", content: "sys" },
    { role: "developer", content: "dev" },
    { role: "user", content: "hi" },
    { role: "assistant", content: "hello", toolCalls: [] },
    { role: "user", content: "again" },
  ]);
  assert.deepEqual(history, [
    { type: "system", text: "sys" },
    { type: "system", text: "dev" },
    { type: "user", text: "hi" },
    { type: "model", response: ["hello"] },
    { type: "user", text: "again" },
    { type: "model", response: [] },
  ]);
});

test("S2.2 tool results attach to the call they answer", () => {
  const history = toChatHistory([
    { role: "user", content: "weather?" },
    {
      role: "assistant",
      content: null,
      toolCalls: [
        { id: "a", name: "get_weather", arguments: '{"city":"Oslo"}' },
        { id: "b", name: "get_time", arguments: "not json" },
      ],
    },
    { role: "tool", toolCallId: "b", content: "noon" },
    { role: "tool", toolCallId: "a", content: '{"tempC":3}' },
  ]);
  assert.deepEqual(history[1], {
    type: "model",
    response: [
      { type: "functionCall", name: "get_weather", params: { city: "Oslo" }, result: { tempC: 3 } },
      { type: "functionCall", name: "get_time", params: "not json", result: "noon" },
    ],
  });
  assert.deepEqual(history.at(-1), { type: "model", response: [] });
});
