// Which requests take the plain-text path (issue 10), with the tiny model's real tokenizer and
// node-llama-cpp's own chat wrappers: the ones whose replies need no detection at their start.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  type ChatHistoryItem,
  ChatMLChatWrapper,
  type ChatWrapper,
  LlamaText,
  QwenChatWrapper,
  SpecialTokensText,
  getLlama,
  type Llama,
  type LlamaModel,
} from "node-llama-cpp";
import { forceFunctionCall } from "../../../src/server/engine/chat-wrappers.js";
import { loadNodeLlamaCpp } from "../../../src/server/engine/load-node-llama-cpp.js";
import { planPlainGeneration } from "../../../src/server/engine/plain-generation.js";
import { tinyModelPath } from "../../support/tiny-model.js";

let llama: Llama;
let model: LlamaModel;
before(async () => {
  llama = await getLlama({ gpu: false, build: "never", skipDownload: true, maxThreads: 1 });
  model = await llama.loadModel({ modelPath: await tinyModelPath() });
});
after(() => model.dispose());

const history: ChatHistoryItem[] = [
  { type: "user", text: "hello" },
  { type: "model", response: [] },
];
const plan = (wrapper: ChatWrapper, stop: string[] = []) =>
  planPlainGeneration({
    tokenizer: model.tokenizer,
    settings: wrapper.settings,
    state: wrapper.generateContextState({ chatHistory: history }),
    stop,
  });

test("issue 10 ChatML takes the plain path: its end markers become a stop token and a stop text", () => {
  const chatML = plan(new ChatMLChatWrapper(), ["END", ""]);
  assert.ok(chatML);
  const imEnd = model.tokenize("<|im_end|>", true);
  assert.equal(imEnd.length, 1);
  assert.ok(chatML.stopTokens.has(imEnd[0]));
  assert.ok(chatML.stopTokens.has(model.tokens.eos!));
  // The request's stop strings (an empty one means nothing) and the marker written as text.
  assert.deepEqual([...chatML.stopTexts].sort(), ["<|im_end|>", "END"]);
  assert.equal(chatML.trimWhitespace, false);
});

test("issue 10 a JSON grammar adds its stop text and trims trailing whitespace", async () => {
  const grammar = await llama.getGrammarFor("json");
  const wrapper = new ChatMLChatWrapper();
  const json = planPlainGeneration({
    tokenizer: model.tokenizer,
    settings: wrapper.settings,
    state: wrapper.generateContextState({ chatHistory: history }),
    grammar,
    stop: [],
  });
  assert.ok(json);
  assert.ok(json.stopTexts.includes("\n\n\n\n"));
  assert.equal(json.trimWhitespace, true);
});

test("issue 10 a thought segment opening with text this model has no token for stays on the plain path", () => {
  // Qwen's `<think>` is a control token of Qwen 3, plain text to the tiny model.
  assert.ok(plan(new QwenChatWrapper()));
});

test("issue 10 LlamaChat keeps the replies that need detection at their start", async () => {
  // A thought segment opened on the reply's start, and function calling forced by a prefix trigger.
  assert.equal(plan(new QwenChatWrapper({ variation: "3.5", thoughts: "auto" })), undefined);
  assert.equal(plan(forceFunctionCall(await loadNodeLlamaCpp(), new ChatMLChatWrapper())), undefined);
  // A segment that opens with a control token of this model.
  class ThinkingChatML extends ChatMLChatWrapper {
    override readonly settings = {
      ...new ChatMLChatWrapper().settings,
      segments: { thought: { prefix: LlamaText(new SpecialTokensText("<tool_call>")) } },
    };
  }
  assert.equal(plan(new ThinkingChatML()), undefined);
});
