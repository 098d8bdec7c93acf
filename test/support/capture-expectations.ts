// What each recorded event stream (test/fixtures/recordings, see its README) must accumulate to
// (protocol.md P5.5, P5.6, P5.8, P5.13). Shared by the in-memory replay
// (test/streaming/fixtures.test.ts) and the replay over loopback through the client
// (test/streaming/end-to-end-recordings.test.ts), so that both check the same things.
import assert from "node:assert/strict";
import { captureChunks, type SseCapture } from "./recordings.js";

type Json = Record<string, unknown>;

export interface CaptureExpectation {
  /** A unique part of the capture's name (`<recording>#<entry>`). */
  readonly part: string;
  /** A test title, starting with its rule id. */
  readonly title: string;
  /** Checks the updates (as `asDict()`) and the accumulated answer (as `asDict()`). */
  check(final: Json, updates: readonly Json[], capture: SseCapture): void;
}

export const messageOf = (final: Json): Json => ((final.choices as Json[])[0] as Json).message as Json;

/** The content of choice 0 of every chunk, joined. */
export const joinedContent = (chunks: readonly Json[]): string =>
  chunks.map((c) => ((c.choices as Json[])[0]?.delta as Json | undefined)?.content ?? "").join("");

export const captureExpectations: readonly CaptureExpectation[] = [
  {
    part: "recording_chat_streaming_test",
    title: "P5.8 Azure OpenAI stream: prompt_filter_results chunk first, ids from the first non-empty chunk",
    check(final, updates, capture) {
      assert.equal(updates.length, 14);
      assert.deepEqual(updates[0].choices, [], "the prompt_filter_results chunk is delivered");
      assert.equal(final.id, "chatcmpl-9fIyF0QlFtrFMrlRwmDxWIY8wjDiT");
      assert.equal(final.created, 1719631399);
      assert.equal(final.model, "gpt-4o-2024-05-13");
      assert.equal(final.object, "chat.completion");
      assert.equal(final.system_fingerprint, "fp_abc28019ad");
      assert.deepEqual(final.prompt_filter_results, captureChunks(capture)[0].prompt_filter_results);
      assert.deepEqual(messageOf(final), { role: "assistant", content: "There are 5,280 feet in a mile." });
      const choice = (final.choices as Json[])[0];
      assert.equal(choice.finish_reason, "stop");
      assert.equal(choice.logprobs, null);
      assert.deepEqual(choice.content_filter_results, {
        hate: { filtered: false, severity: "safe" },
        self_harm: { filtered: false, severity: "safe" },
        sexual: { filtered: false, severity: "safe" },
        violence: { filtered: false, severity: "safe" },
      });
      assert.equal(Object.hasOwn(final, "usage"), false, "this stream sent no usage");
    },
  },
  {
    part: "test_chat_completions_streaming",
    title: "P5.6 Mistral stream: 354 chunks, usage beside the last finish_reason",
    check(final, updates, capture) {
      const chunks = captureChunks(capture);
      assert.equal(updates.length, 354);
      assert.deepEqual(final.usage, { completion_tokens: 352, prompt_tokens: 24, total_tokens: 376 });
      assert.equal((final.choices as Json[])[0].finish_reason, "stop");
      const text = messageOf(final).content as string;
      assert.equal(text, joinedContent(chunks));
      assert.ok(text.startsWith("Absolutely"));
      assert.equal(final.id, "f1441eb6031c4ddbbd9bc58e88cc381c");
      assert.equal(final.model, "mistral-large-2411");
    },
  },
  {
    part: "function_call_streaming_tracing_content_recording_enabled.json#0",
    title: "P5.8 Mistral streamed tool call: one delta, no index, no type",
    check(final) {
      assert.deepEqual(messageOf(final), {
        role: "assistant",
        content: "",
        tool_calls: [
          {
            id: "Sanitized",
            type: "function",
            function: { name: "get_weather", arguments: '{"city": "Seattle"}' },
          },
        ],
      });
      assert.equal((final.choices as Json[])[0].finish_reason, "tool_calls");
      assert.deepEqual(final.usage, { completion_tokens: 23, prompt_tokens: 100, total_tokens: 123 });
    },
  },
  {
    part: "function_call_streaming_tracing_content_recording_enabled.json#1",
    title: "P5.8 Mistral second turn: JSON-looking text stays content",
    check(final) {
      assert.equal(messageOf(final).content, '[{"name": "get_weather", "arguments": {"city": "Miami"}}]');
      assert.equal(Object.hasOwn(messageOf(final), "tool_calls"), false);
      assert.deepEqual(final.usage, { completion_tokens: 22, prompt_tokens: 147, total_tokens: 169 });
    },
  },
];

/** The expectation of a capture (every capture has exactly one). */
export function expectationOf(capture: SseCapture): CaptureExpectation {
  const found = captureExpectations.filter((e) => capture.name.includes(e.part));
  assert.equal(found.length, 1, `one expectation for ${capture.name}`);
  return found[0];
}
