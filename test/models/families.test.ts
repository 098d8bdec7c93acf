// M8: each model family's fields, the load helpers, and the embedding decoder.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as models from "../../src/models/index.js";
import {
  ChatCompletionsResponseFormatJsonSchema,
  EmbeddingItem,
  EmbeddingsResult,
  ImageEmbeddingInput,
  ImageUrl,
  InputAudio,
  JsonSchemaFormat,
  StreamingChatCompletionsUpdate,
  StreamingChatResponseToolCallUpdate,
  FunctionCall,
} from "../../src/models/index.js";

/** Wire names of every model's fields, as protocol/models.md M8 lists them. */
const SPEC_FIELDS: Record<string, string[]> = {
  ChatCompletions: ["id", "created", "model", "choices", "usage"],
  ChatChoice: ["index", "finish_reason", "message"],
  ChatResponseMessage: ["role", "content", "tool_calls", "reasoning_content", "audio"],
  ChatCompletionsAudio: ["id", "expires_at", "data", "format", "transcript"],
  CompletionsUsage: [
    "completion_tokens",
    "prompt_tokens",
    "total_tokens",
    "completion_tokens_details",
    "prompt_tokens_details",
  ],
  CompletionTokensDetails: ["audio_tokens", "reasoning_tokens", "total_tokens"],
  PromptTokensDetails: ["audio_tokens", "cached_tokens"],
  ChatCompletionsToolCall: ["id", "type", "function"],
  FunctionCall: ["name", "arguments"],
  StreamingChatCompletionsUpdate: ["id", "created", "model", "choices", "usage"],
  StreamingChatChoiceUpdate: ["index", "finish_reason", "delta"],
  StreamingChatResponseMessageUpdate: ["role", "content", "tool_calls", "reasoning_content"],
  StreamingChatResponseToolCallUpdate: ["id", "index", "type", "function"],
  ChatRequestMessage: ["role"],
  SystemMessage: ["role", "content"],
  DeveloperMessage: ["role", "content"],
  UserMessage: ["role", "content"],
  AssistantMessage: ["role", "content", "tool_calls"],
  ToolMessage: ["role", "tool_call_id", "content"],
  ContentItem: ["type"],
  TextContentItem: ["type", "text"],
  ImageContentItem: ["type", "image_url"],
  AudioContentItem: ["type", "input_audio"],
  AudioUrlContentItem: ["type", "audio_url"],
  ImageUrl: ["url", "detail"],
  InputAudio: ["data", "format"],
  InputAudioUrl: ["url"],
  ChatCompletionsToolDefinition: ["type", "function"],
  FunctionDefinition: ["name", "description", "parameters"],
  ChatCompletionsNamedToolChoice: ["type", "function"],
  ChatCompletionsNamedToolChoiceFunction: ["name"],
  JsonSchemaFormat: ["name", "schema", "description", "strict"],
  ChatCompletionsResponseFormat: ["type"],
  ChatCompletionsResponseFormatText: ["type"],
  ChatCompletionsResponseFormatJsonObject: ["type"],
  ChatCompletionsResponseFormatJsonSchema: ["type", "json_schema"],
  EmbeddingsResult: ["id", "data", "usage", "model"],
  EmbeddingItem: ["embedding", "index"],
  EmbeddingsUsage: ["prompt_tokens", "total_tokens"],
  ImageEmbeddingInput: ["image", "text"],
  ModelInfo: ["model_name", "model_type", "model_provider_name"],
};

test("M8 every model of the spec is exported with exactly its fields; typed names are the camelCase of wire names", () => {
  for (const [name, wires] of Object.entries(SPEC_FIELDS)) {
    const cls = (models as unknown as Record<string, typeof models.Model>)[name];
    assert.ok(cls, `${name} is exported`);
    const info = cls.fieldInfo();
    assert.deepEqual(info.map((f) => f.wire).sort(), [...wires].sort(), name);
    for (const f of info)
      assert.equal(
        f.name,
        f.wire.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
        name,
      );
  }
});

test("M8 streaming tool-call updates model index and type", () => {
  const update = StreamingChatCompletionsUpdate.fromDict({
    choices: [
      {
        delta: {
          tool_calls: [{ index: 1, id: "c", type: "function", function: { name: "f", arguments: "{" } }],
        },
      },
    ],
  });
  const call = update.choices![0].delta!.toolCalls![0];
  assert.ok(call instanceof StreamingChatResponseToolCallUpdate);
  assert.equal(call.index, 1);
  assert.equal(call.type, "function");
  assert.ok(call.function instanceof FunctionCall);
  assert.equal(call.function.arguments, "{");
});

test("M8 FunctionCall.arguments is text and is never parsed", () => {
  const call = FunctionCall.fromDict({ name: "f", arguments: '{"a": 1' });
  assert.equal(call.arguments, '{"a": 1');
});

test("M8 JsonSchemaFormat names are letters, digits, _ and -, at most 64 (checked in the attribute form only)", () => {
  assert.doesNotThrow(() => new JsonSchemaFormat({ name: "Weather_report-2", schema: {} }));
  assert.doesNotThrow(() => new JsonSchemaFormat({ name: "a".repeat(64), schema: {} }));
  assert.throws(() => new JsonSchemaFormat({ name: "a".repeat(65), schema: {} }), /1 to 64 letters/);
  assert.throws(() => new JsonSchemaFormat({ name: "has space", schema: {} }), /"has space"/);
  assert.equal(
    JsonSchemaFormat.fromDict({ name: "has space" }).name,
    "has space",
    "fromDict validates nothing",
  );
  const format = new ChatCompletionsResponseFormatJsonSchema({
    jsonSchema: { name: "n", schema: { type: "object" } },
  });
  assert.deepEqual(format.asDict(), {
    type: "json_schema",
    json_schema: { name: "n", schema: { type: "object" } },
  });
});

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0xff, 0xfe]);
const PNG_BASE64 = Buffer.from(PNG).toString("base64");

test("M8 ImageUrl.load reads a file path, bytes or a Blob into a padded base64 data URL", async () => {
  const dir = await mkdtemp(join(tmpdir(), "ai-inference-"));
  const path = join(dir, "image.png");
  await writeFile(path, PNG);
  for (const source of [path, PNG, PNG.buffer.slice(0), new Blob([PNG])]) {
    const url = await ImageUrl.load(source, "png", "high");
    assert.ok(url instanceof ImageUrl);
    assert.equal(url.url, `data:image/png;base64,${PNG_BASE64}`);
    assert.equal(url.detail, "high");
  }
  const plain = await ImageUrl.load(PNG, "JPEG");
  assert.ok(plain.url.startsWith("data:image/JPEG;base64,"), "format verbatim");
  assert.equal(plain.has("detail"), false);
  const big = new Uint8Array(100_000).map((_, i) => i % 251);
  const bigUrl = await ImageUrl.load(big, "png");
  assert.equal(
    bigUrl.url,
    `data:image/png;base64,${Buffer.from(big).toString("base64")}`,
    "no line breaks, padded",
  );
});

test("M8 InputAudio.load gives bare base64 without a data: prefix", async () => {
  const audio = await InputAudio.load(new Uint8Array([1, 2, 3, 4]), "wav");
  assert.deepEqual(audio.asDict(), { data: "AQIDBA==", format: "wav" });
});

test("M8 ImageEmbeddingInput.load gives a data URL and the optional text", async () => {
  const input = await ImageEmbeddingInput.load(PNG, "png", "a caption");
  assert.deepEqual(input.asDict(), { image: `data:image/png;base64,${PNG_BASE64}`, text: "a caption" });
  assert.deepEqual(Object.keys((await ImageEmbeddingInput.load(PNG, "png")).asDict()), ["image"]);
});

test("M8 load helpers pass the file system's own error through unchanged, and reject bad arguments", async () => {
  await assert.rejects(
    ImageUrl.load("/no/such/file.png", "png"),
    (e: NodeJS.ErrnoException) => e.code === "ENOENT",
  );
  await assert.rejects(InputAudio.load("/no/such/file.wav", "wav"), { code: "ENOENT" });
  await assert.rejects(ImageUrl.load("", "png"), /file path is empty/);
  await assert.rejects(ImageUrl.load(PNG, ""), /format must be a non-empty string/);
  await assert.rejects(ImageUrl.load(42 as never, "png"), /takes a file path, a Uint8Array/);
});

test("M8 load helpers return Promises", async () => {
  const pending = InputAudio.load(new Uint8Array([0]), "mp3");
  assert.ok(pending instanceof Promise);
  assert.equal((await pending).data, "AA==");
});

test("M8 embeddingAsFloat32 decodes the float and base64 (little-endian float32) encodings", () => {
  const values = [0.5, -1.25, 3.0e-8, 1234.5];
  const floats = new Float32Array(values);
  const base64 = Buffer.from(floats.buffer).toString("base64");
  const fromBase64 = EmbeddingItem.fromDict({ embedding: base64, index: 0 }).embeddingAsFloat32();
  assert.ok(fromBase64 instanceof Float32Array);
  assert.deepEqual([...fromBase64], [...floats]);
  const fromNumbers = EmbeddingItem.fromDict({ embedding: values, index: 0 }).embeddingAsFloat32();
  assert.deepEqual([...fromNumbers], [...floats]);
  assert.throws(
    () => EmbeddingItem.fromDict({ embedding: "AAE=" }).embeddingAsFloat32(),
    /not a whole number of float32/,
  );
  assert.throws(() => EmbeddingItem.fromDict({}).embeddingAsFloat32(), /has no embedding/);
  assert.throws(() => EmbeddingItem.fromDict({ embedding: "@@@" }).embeddingAsFloat32(), /not valid base64/);
});

test("M8 EmbeddingsResult from the REST examples decodes every item", async () => {
  const { allSpecExamples } = await import("../support/recordings.js");
  const examples = allSpecExamples().filter((e) => e.operationId === "GetEmbeddings");
  assert.ok(examples.length > 0);
  for (const example of examples) {
    const result = EmbeddingsResult.fromDict(example.responses["200"].body as Record<string, unknown>);
    for (const item of result.data) {
      if (Array.isArray(item.embedding))
        assert.equal(item.embeddingAsFloat32().length, item.embedding.length);
    }
  }
});
