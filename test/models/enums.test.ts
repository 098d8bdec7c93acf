// M7: open enums, exported as frozen constant objects plus open string types.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AudioContentFormat,
  ChatChoice,
  ChatCompletionsToolChoicePreset,
  ChatRole,
  CompletionsFinishReason,
  EmbeddingEncodingFormat,
  EmbeddingInputType,
  ExtraParameters,
  ImageDetailLevel,
  ModelInfo,
  ModelType,
} from "../../src/models/index.js";

test("M7 every enum has exactly the spec's members and values", () => {
  assert.deepEqual(
    { ...ChatRole },
    { System: "system", User: "user", Assistant: "assistant", Tool: "tool", Developer: "developer" },
  );
  assert.deepEqual(
    { ...CompletionsFinishReason },
    {
      Stopped: "stop",
      TokenLimitReached: "length",
      ContentFiltered: "content_filter",
      ToolCalls: "tool_calls",
    },
  );
  assert.deepEqual({ ...ImageDetailLevel }, { Auto: "auto", Low: "low", High: "high" });
  assert.deepEqual({ ...AudioContentFormat }, { Wav: "wav", Mp3: "mp3" });
  assert.deepEqual(
    { ...ChatCompletionsToolChoicePreset },
    { Auto: "auto", None: "none", Required: "required" },
  );
  assert.deepEqual(
    { ...EmbeddingEncodingFormat },
    { Base64: "base64", Binary: "binary", Float: "float", Int8: "int8", UBinary: "ubinary", UInt8: "uint8" },
  );
  assert.deepEqual({ ...EmbeddingInputType }, { Text: "text", Query: "query", Document: "document" });
  assert.deepEqual(
    { ...ModelType },
    {
      Embeddings: "embeddings",
      ImageGeneration: "image_generation",
      TextGeneration: "text_generation",
      ImageEmbeddings: "image_embeddings",
      AudioGeneration: "audio_generation",
      ChatCompletion: "chat_completion",
    },
  );
  assert.deepEqual({ ...ExtraParameters }, { Error: "error", Drop: "drop", PassThrough: "pass-through" });
});

test("M7 enum objects are frozen", () => {
  for (const e of [ChatRole, CompletionsFinishReason, ModelType, ExtraParameters])
    assert.ok(Object.isFrozen(e));
  assert.throws(() => {
    (ChatRole as Record<string, string>).Narrator = "narrator";
  }, TypeError);
});

test("M7 M3.5 a string outside the list is valid everywhere: typed, stored, returned", () => {
  const reason: CompletionsFinishReason = "max_tokens"; // compiles: the type is open
  const choice = new ChatChoice({ finishReason: reason });
  assert.notEqual(choice.finishReason, CompletionsFinishReason.Stopped);
  assert.equal(choice.finishReason, "max_tokens");
  const info = ModelInfo.fromDict({ model_type: "chat-completion" });
  assert.equal(info.modelType, "chat-completion");
  const known = new ChatChoice({ finishReason: CompletionsFinishReason.ToolCalls });
  assert.equal(known.get("finish_reason"), "tool_calls", "members are stored as their string");
});
