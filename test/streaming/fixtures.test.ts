// Every recorded text/event-stream response replayed through the stream (P5.1, P5.5, P5.8): the
// updates are the recorded chunks, key for key, and the accumulated answer is what the capture says.
import { test } from "node:test";
import assert from "node:assert/strict";
import { StreamingChatCompletions } from "../../src/streaming/stream.js";
import { captureChunks, sseCaptures, type SseCapture } from "../support/recordings.js";
import { sourceOf } from "../support/memory-source.js";
import { fixedSize } from "../support/chunkings.js";

type Json = Record<string, unknown>;
const captures = sseCaptures();

async function replay(capture: SseCapture, pieceSize = 1024) {
  const stream = new StreamingChatCompletions(
    sourceOf(fixedSize(capture.bytes, pieceSize), { headers: capture.headers, requestId: "req" }),
  );
  const updates: Json[] = [];
  for await (const update of stream) updates.push(update.asDict());
  const final = (await stream.finalChatCompletions()).asDict();
  return { updates, final, stream };
}

const byName = (part: string): SseCapture => {
  const found = captures.filter((c) => c.name.includes(part));
  assert.equal(found.length, 1, part);
  return found[0];
};
const message = (final: Json): Json => ((final.choices as Json[])[0] as Json).message as Json;
const joinedContent = (chunks: Json[]): string =>
  chunks.map((c) => ((c.choices as Json[])[0]?.delta as Json | undefined)?.content ?? "").join("");

test("P5.1 the recordings hold four event streams, all of them replayed here", () => {
  assert.equal(captures.length, 4);
  for (const capture of captures) assert.equal(capture.events.at(-1), "data: [DONE]\n\n");
});

for (const capture of captures) {
  test(`P5.5 ${capture.name}: every recorded chunk becomes one update, key for key`, async () => {
    const { updates, stream } = await replay(capture);
    assert.deepEqual(updates, captureChunks(capture));
    assert.equal(stream.headers.get("content-type"), capture.headers["Content-Type"]);
  });
}

test("P5.8 Azure OpenAI stream: prompt_filter_results chunk first, ids from the first non-empty chunk", async () => {
  const capture = byName("recording_chat_streaming_test");
  const { updates, final } = await replay(capture);
  assert.equal(updates.length, 14);
  assert.deepEqual(updates[0].choices, [], "the prompt_filter_results chunk is delivered");
  assert.equal(final.id, "chatcmpl-9fIyF0QlFtrFMrlRwmDxWIY8wjDiT");
  assert.equal(final.created, 1719631399);
  assert.equal(final.model, "gpt-4o-2024-05-13");
  assert.equal(final.object, "chat.completion");
  assert.equal(final.system_fingerprint, "fp_abc28019ad");
  assert.deepEqual(final.prompt_filter_results, captureChunks(capture)[0].prompt_filter_results);
  assert.deepEqual(message(final), { role: "assistant", content: "There are 5,280 feet in a mile." });
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
});

test("P5.6 Mistral stream: 354 chunks, usage beside the last finish_reason", async () => {
  const capture = byName("test_chat_completions_streaming");
  const chunks = captureChunks(capture);
  const { updates, final } = await replay(capture);
  assert.equal(updates.length, 354);
  assert.deepEqual(final.usage, { completion_tokens: 352, prompt_tokens: 24, total_tokens: 376 });
  assert.equal((final.choices as Json[])[0].finish_reason, "stop");
  const text = message(final).content as string;
  assert.equal(text, joinedContent(chunks));
  assert.ok(text.startsWith("Absolutely"));
  assert.equal(final.id, "f1441eb6031c4ddbbd9bc58e88cc381c");
  assert.equal(final.model, "mistral-large-2411");
});

test("P5.8 Mistral streamed tool call: one delta, no index, no type", async () => {
  const { final } = await replay(byName("function_call_streaming_tracing_content_recording_enabled.json#0"));
  assert.deepEqual(message(final), {
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
});

test("P5.8 Mistral second turn: JSON-looking text stays content", async () => {
  const capture = byName("function_call_streaming_tracing_content_recording_enabled.json#1");
  const { final } = await replay(capture);
  assert.equal(message(final).content, '[{"name": "get_weather", "arguments": {"city": "Miami"}}]');
  assert.equal(Object.hasOwn(message(final), "tool_calls"), false);
  assert.deepEqual(final.usage, { completion_tokens: 22, prompt_tokens: 147, total_tokens: 169 });
});

test("P5.8 textStream of every capture is the accumulated content", async () => {
  for (const capture of captures) {
    const stream = new StreamingChatCompletions(sourceOf(fixedSize(capture.bytes, 512)));
    const pieces: string[] = [];
    for await (const piece of stream.textStream()) pieces.push(piece);
    assert.equal(pieces.join(""), joinedContent(captureChunks(capture)), capture.name);
  }
});
