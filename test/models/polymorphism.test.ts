// M4: nested models, identity, and polymorphic construction with unknown discriminators kept.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  AssistantMessage,
  AudioContentItem,
  AudioUrlContentItem,
  ChatChoice,
  ChatCompletions,
  ChatCompletionsResponseFormat,
  ChatCompletionsResponseFormatJsonObject,
  ChatCompletionsResponseFormatJsonSchema,
  ChatCompletionsResponseFormatText,
  ChatRequestMessage,
  CompletionsUsage,
  ContentItem,
  DeveloperMessage,
  ImageContentItem,
  ImageUrl,
  InputAudio,
  InputAudioUrl,
  JsonSchemaFormat,
  SystemMessage,
  TextContentItem,
  ToolMessage,
  UserMessage,
} from "../../src/models/index.js";

test("M4.1 nested model fields hold model instances with stable identity", () => {
  const m = ChatCompletions.fromDict({
    choices: [{ message: { tool_calls: [{ function: { name: "f" } }] } }],
    usage: {},
  });
  assert.equal(m.choices, m.choices);
  assert.equal(m.choices[0], m.choices[0]);
  assert.equal(m.choices[0].message, m.choices[0].message);
  assert.equal(m.choices[0].message.toolCalls![0].function, m.choices[0].message.toolCalls![0].function);
  assert.equal(m.usage, m.usage);
});

test("M4.2 the mapping view returns the same instances as the typed view", () => {
  const m = ChatCompletions.fromDict({ choices: [{ message: {} }], usage: {} });
  assert.equal((m.get("choices") as ChatChoice[])[0], m.choices[0]);
  assert.equal(m.choices[0].get("message"), m.choices[0].message);
  assert.equal(m.get("usage"), m.usage);
});

test("M4.3 set and update with a plain object for a model field store a model", () => {
  const choice = new ChatChoice();
  choice.set("message", { role: "assistant", content: "a" });
  assert.equal((choice.get("message") as { content: string }).content, "a");
  assert.equal(choice.message.content, "a");
  choice.update({ message: { role: "assistant", content: "b" } });
  assert.equal(choice.message.content, "b");
  const completions = new ChatCompletions();
  completions.set("choices", [{ index: 0 }]);
  assert.ok(completions.choices[0] instanceof ChatChoice);
});

test("M4.4 ChatRequestMessage picks the subclass by role", () => {
  const cases: [string, unknown][] = [
    ["system", SystemMessage],
    ["developer", DeveloperMessage],
    ["user", UserMessage],
    ["assistant", AssistantMessage],
    ["tool", ToolMessage],
  ];
  for (const [role, cls] of cases) {
    const m = ChatRequestMessage.fromDict({ role, content: "x" });
    assert.equal(m.constructor, cls, role);
    assert.ok(m instanceof ChatRequestMessage);
  }
});

test("M4.4 ContentItem picks the subclass by type", () => {
  const cases: [Record<string, unknown>, unknown][] = [
    [{ type: "text", text: "t" }, TextContentItem],
    [{ type: "image_url", image_url: { url: "u" } }, ImageContentItem],
    [{ type: "input_audio", input_audio: { data: "AA==", format: "wav" } }, AudioContentItem],
    [{ type: "audio_url", audio_url: { url: "u" } }, AudioUrlContentItem],
  ];
  for (const [wire, cls] of cases)
    assert.equal(ContentItem.fromDict(wire).constructor, cls, String(wire.type));
  assert.ok((ContentItem.fromDict(cases[1][0]) as ImageContentItem).imageUrl instanceof ImageUrl);
  assert.ok((ContentItem.fromDict(cases[2][0]) as AudioContentItem).inputAudio instanceof InputAudio);
  assert.ok((ContentItem.fromDict(cases[3][0]) as AudioUrlContentItem).audioUrl instanceof InputAudioUrl);
});

test("M4.4 ChatCompletionsResponseFormat picks the subclass by type", () => {
  assert.ok(
    ChatCompletionsResponseFormat.fromDict({ type: "text" }) instanceof ChatCompletionsResponseFormatText,
  );
  assert.ok(
    ChatCompletionsResponseFormat.fromDict({ type: "json_object" }) instanceof
      ChatCompletionsResponseFormatJsonObject,
  );
  const schema = ChatCompletionsResponseFormat.fromDict({
    type: "json_schema",
    json_schema: { name: "n", schema: {} },
  }) as ChatCompletionsResponseFormatJsonSchema;
  assert.ok(schema instanceof ChatCompletionsResponseFormatJsonSchema);
  assert.ok(schema.jsonSchema instanceof JsonSchemaFormat);
});

test("M4.4 an unknown or missing discriminator gives the base class with every key kept, never an error", () => {
  for (const wire of [{ role: "narrator", content: "x", extra: 1 }, { content: "no role" }, { role: 5 }]) {
    const m = ChatRequestMessage.fromDict(wire);
    assert.equal(m.constructor, ChatRequestMessage);
    assert.deepEqual(m.asDict(), wire);
  }
  const item = ContentItem.fromDict({ type: "video_url", video_url: { url: "v" } });
  assert.equal(item.constructor, ContentItem);
  assert.equal(item.type, "video_url");
  assert.equal(
    ChatCompletionsResponseFormat.fromDict({ type: "grammar" }).constructor,
    ChatCompletionsResponseFormat,
  );
  assert.equal(ChatRequestMessage.fromDict({ role: "toString" }).constructor, ChatRequestMessage);
  assert.equal(ContentItem.fromDict({ type: "__proto__" }).constructor, ContentItem);
});

test("M4.5 UserMessage list content is a list of polymorphic content item models", () => {
  const m = UserMessage.fromDict({
    role: "user",
    content: [
      { type: "text", text: "look" },
      { type: "image_url", image_url: { url: "https://x/y.png", detail: "low" } },
      { type: "mystery" },
    ],
  });
  const content = m.content as ContentItem[];
  assert.ok(content[0] instanceof TextContentItem);
  assert.ok(content[1] instanceof ImageContentItem);
  assert.equal((content[1] as ImageContentItem).imageUrl.detail, "low");
  assert.equal(content[2].constructor, ContentItem);
  assert.equal(UserMessage.fromDict({ content: "plain" }).content, "plain", "a string stays a string");
});

test("M4.6 every mapping-view read returns the stored value: models for model fields, wire values otherwise", () => {
  const m = ChatCompletions.fromDict({ created: 9, usage: { total_tokens: 1 } });
  assert.equal(m.get("created"), 9);
  assert.equal(m.setDefault("created", 0), 9);
  const [[, usage]] = m.items().filter(([k]) => k === "usage");
  assert.equal(usage, m.usage);
  assert.ok(m.pop("usage") instanceof CompletionsUsage);
  assert.equal(m.popItem()[1], 9);
});

test("M4.7 a model field whose wire value is not a plain object is kept unchanged in both views", () => {
  const m = ChatCompletions.fromDict({ usage: 5, choices: [null, 1, "x", { index: 0 }, [1]] });
  assert.equal(m.usage, 5 as unknown);
  assert.equal(m.get("usage"), 5);
  const choices = m.choices as unknown[];
  assert.deepEqual(choices.slice(0, 3), [null, 1, "x"]);
  assert.ok(choices[3] instanceof ChatChoice);
  assert.deepEqual(choices[4], [1]);
  assert.deepEqual(m.asDict(), { usage: 5, choices: [null, 1, "x", { index: 0 }, [1]] });
  assert.equal(ChatChoice.fromDict({ message: "text" }).message, "text" as unknown);
});
