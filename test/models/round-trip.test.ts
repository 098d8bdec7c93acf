// Q2 and M2.2 over real data: every response body in the fixtures goes through fromDict then
// asDict and comes back deep-equal with the same key order, and the typed view returns what the
// spec says for each field, at every depth.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChatCompletions,
  ChatCompletionsResponseFormat,
  ChatCompletionsToolDefinition,
  ChatRequestMessage,
  EmbeddingsResult,
  ImageEmbeddingInput,
  Model,
  ModelInfo,
  StreamingChatCompletionsUpdate,
} from "../../src/models/index.js";
import { allRecordings, allSpecExamples, isEventStream } from "../support/recordings.js";

type Wire = Record<string, unknown>;
type AnyModelClass = {
  fromDict(wire: Wire): Model;
  fieldInfo(): ReturnType<typeof Model.fieldInfo>;
  name: string;
};

/** Checks fromDict → asDict exactly (order included), then every typed getter against the wire value. */
function checkRoundTrip(cls: AnyModelClass, wire: Wire, where: string): Model {
  const model = cls.fromDict(wire);
  assert.ok(model instanceof (cls as unknown as typeof Model), `${where}: instance of ${cls.name}`);
  assert.equal(
    JSON.stringify(model.asDict()),
    JSON.stringify(wire),
    `${where}: asDict keeps every key in order`,
  );
  assert.deepEqual(model.asDict(), wire, where);
  assert.equal(JSON.stringify(model), JSON.stringify(wire), `${where}: JSON.stringify`);
  checkTypedView(model, wire, where);
  return model;
}

function checkTypedView(model: Model, wire: Wire, where: string): void {
  const cls = model.constructor as unknown as AnyModelClass;
  for (const field of cls.fieldInfo()) {
    const stored = wire[field.wire];
    const typed = (model as unknown as Record<string, unknown>)[field.name];
    const at = `${where}.${field.name}`;
    if (!Object.hasOwn(wire, field.wire)) {
      assert.equal(typed, undefined, `${at}: absent → undefined (M3.1)`);
      continue;
    }
    switch (field.kind) {
      case "value":
        // fromDict copied the wire object, so containers are compared by value here; the typed view
        // returns the stored container itself (M3.3).
        assert.deepEqual(typed, stored, `${at}: returned as stored, no coercion (M3.2)`);
        assert.equal(typed, model.get(field.wire), `${at}: the stored value itself (M3.3)`);
        break;
      case "date":
        if (typeof stored === "number") {
          assert.ok(typed instanceof Date, `${at}: a Date (M5.2)`);
          assert.equal((typed as Date).getTime(), Math.trunc(stored * 1000), at);
        } else assert.equal(typed, stored, `${at}: a non-number date stays as is (M5.2)`);
        break;
      case "model":
        if (stored !== null && typeof stored === "object" && !Array.isArray(stored)) {
          assert.ok(typed instanceof Model, `${at}: a model (M4.1)`);
          assert.equal(typed, model.get(field.wire), `${at}: same instance in both views (M4.2)`);
          checkTypedView(typed as Model, stored as Wire, at);
        } else assert.equal(typed, stored, `${at}: a non-object stays as is (M4.7)`);
        break;
      case "list":
      case "content":
        if (Array.isArray(stored)) {
          const list = typed as unknown[];
          assert.equal(list.length, stored.length, at);
          stored.forEach((item, i) => {
            if (item !== null && typeof item === "object" && !Array.isArray(item)) {
              assert.ok(list[i] instanceof Model, `${at}[${i}]: a model (M4.1)`);
              checkTypedView(list[i] as Model, item as Wire, `${at}[${i}]`);
            } else assert.deepEqual(list[i], item, `${at}[${i}]: kept as is (M4.7)`);
          });
        } else assert.deepEqual(typed, stored, at);
        break;
    }
  }
}

function responseClass(uri: string): AnyModelClass | undefined {
  const path = new URL(uri).pathname;
  if (path.endsWith("/chat/completions")) return ChatCompletions;
  if (path.endsWith("/embeddings")) return EmbeddingsResult;
  if (path.endsWith("/info")) return ModelInfo;
  return undefined;
}

function sseData(events: string[]): Wire[] {
  return events
    .map((event) => event.replace(/^data: ?/, "").trim())
    .filter((data) => data !== "[DONE]")
    .map((data) => JSON.parse(data) as Wire);
}

const recordings = allRecordings();

test("Q2 M2.2 every recorded 2xx response body round-trips through its model", () => {
  let checked = 0;
  for (const recording of recordings) {
    recording.entries.forEach((entry, i) => {
      if (entry.StatusCode >= 300) return;
      const where = `${recording.file}#${i}`;
      if (isEventStream(entry)) {
        const chunks = sseData(entry.ResponseBody as string[]);
        assert.ok(chunks.length > 0, where);
        chunks.forEach((chunk, j) =>
          checkRoundTrip(StreamingChatCompletionsUpdate, chunk, `${where} chunk ${j}`),
        );
        checked += chunks.length;
        return;
      }
      const cls = responseClass(entry.RequestUri);
      assert.ok(cls, `${where}: a known operation`);
      checkRoundTrip(cls, entry.ResponseBody as Wire, where);
      checked++;
    });
  }
  assert.ok(checked >= 421, `checked ${checked} bodies`);
});

test("Q2 M4.4 every recorded request body's messages, tools and response format round-trip", () => {
  let checked = 0;
  for (const recording of recordings) {
    recording.entries.forEach((entry, i) => {
      const body = entry.RequestBody as Wire | null;
      if (body === null || typeof body !== "object") return;
      const where = `${recording.file}#${i} request`;
      for (const [j, message] of ((body.messages as Wire[]) ?? []).entries()) {
        const model = checkRoundTrip(ChatRequestMessage, message, `${where}.messages[${j}]`);
        assert.notEqual(
          model.constructor,
          ChatRequestMessage,
          `${where}: role ${String(message.role)} has a subclass`,
        );
        checked++;
      }
      for (const tool of (body.tools as Wire[]) ?? [])
        checkRoundTrip(ChatCompletionsToolDefinition, tool, where);
      if (body.response_format && typeof body.response_format === "object") {
        checkRoundTrip(ChatCompletionsResponseFormat, body.response_format as Wire, where);
      }
      if (new URL(entry.RequestUri).pathname.endsWith("/images/embeddings")) {
        for (const input of body.input as Wire[]) checkRoundTrip(ImageEmbeddingInput, input, where);
      }
    });
  }
  assert.ok(checked > 30, `checked ${checked} messages`);
});

test("Q2 M2.2 every example of the REST specification round-trips (requests and responses)", () => {
  const classes: Record<string, AnyModelClass> = {
    GetChatCompletions: ChatCompletions,
    GetEmbeddings: EmbeddingsResult,
    GetImageEmbeddings: EmbeddingsResult,
    GetModelInfo: ModelInfo,
    GetModelInformation: ModelInfo,
  };
  let checked = 0;
  for (const example of allSpecExamples()) {
    const body = example.responses["200"]?.body as Wire | undefined;
    const cls = classes[example.operationId];
    if (cls && body) {
      checkRoundTrip(cls, body, example.name);
      checked++;
    } else {
      // GetModelDeploymentInfo has no model of its own; the base class still keeps every key.
      if (body) assert.deepEqual(Model.fromDict(body).asDict(), body, example.name);
    }
    const request = (example.parameters.body ?? example.parameters.request) as Wire | undefined;
    for (const message of (request?.messages as Wire[]) ?? [])
      checkRoundTrip(ChatRequestMessage, message, example.name);
    for (const tool of (request?.tools as Wire[]) ?? [])
      checkRoundTrip(ChatCompletionsToolDefinition, tool, example.name);
    if (request?.response_format && typeof request.response_format === "object") {
      checkRoundTrip(ChatCompletionsResponseFormat, request.response_format as Wire, example.name);
    }
  }
  assert.ok(checked >= 30, `checked ${checked} examples`);
});

test("M8 typed getters on real responses return what the spec says", () => {
  const tool = recordings.find((r) => r.file.endsWith("recording_function_calling_test.json"))!;
  const completions = ChatCompletions.fromDict(tool.entries[0].ResponseBody as Wire);
  const [choice] = completions.choices;
  assert.equal(choice.finishReason, "tool_calls");
  assert.equal(choice.message.content, null);
  assert.equal(choice.message.toolCalls![0].type, "function");
  assert.equal(choice.message.toolCalls![0].function.arguments, '{"location":"Boston, MA"}');
  assert.equal(completions.usage!.totalTokens, 96);
  assert.deepEqual(choice.get("content_filter_results"), {});

  const audio = recordings.find((r) => r.file.includes("audio_url_input"))!;
  const speech = ChatCompletions.fromDict(audio.entries[0].ResponseBody as Wire);
  assert.equal(speech.usage!.promptTokensDetails, null, "prompt_tokens_details: null stays null (M3.1)");
  assert.deepEqual(speech.choices[0].message.toolCalls, [], "tool_calls: [] stays an empty list");
  assert.equal(speech.choices[0].message.reasoningContent, null);
  assert.match(speech.choices[0].message.content!, /[¿óá]/u, "multi-byte text intact");

  const structured = recordings.find((r) => r.file.includes("structured_output"))!;
  const gpt = ChatCompletions.fromDict(structured.entries[0].ResponseBody as Wire);
  assert.equal(typeof gpt.usage!.completionTokensDetails!.reasoningTokens, "number");
  assert.equal(typeof gpt.usage!.promptTokensDetails!.cachedTokens, "number");
  assert.equal(gpt.choices[0].message.get("refusal"), null, "refusal is an extra, kept (M1.4)");

  const llama = recordings.find((r) => r.file.includes("async_chat_completions_error_free"))!;
  const old = ChatCompletions.fromDict(llama.entries[0].ResponseBody as Wire);
  assert.equal(old.created.getTime(), 1074462 * 1000, "a small non-epoch created is still seconds (M5.1)");
  assert.ok(old.choices[0].message.content!.startsWith("  "), "content is not trimmed");

  const info = recordings.find((r) => r.file.includes("test_get_model_info_on_embeddings_client"))!;
  const modelInfo = ModelInfo.fromDict(info.entries[0].ResponseBody as Wire);
  assert.equal(modelInfo.modelType, "embedding", "an enum value outside the list is returned (M3.5)");
});
