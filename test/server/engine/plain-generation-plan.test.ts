// Which requests take the plain-text path (issue 10), with the tiny model's real tokenizer and
// node-llama-cpp's own chat wrappers: the ones whose replies need no detection at their start.
// And that the path writes what LlamaChat writes, token for token, for the same settings.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  type ChatHistoryItem,
  ChatMLChatWrapper,
  type ChatWrapper,
  LlamaChat,
  type LlamaContext,
  LlamaText,
  QwenChatWrapper,
  SpecialTokensText,
  getLlama,
  type Llama,
  type LlamaModel,
} from "node-llama-cpp";
import { forceFunctionCall } from "../../../src/server/engine/chat-wrappers.js";
import { loadNodeLlamaCpp } from "../../../src/server/engine/load-node-llama-cpp.js";
import { generatePlainText, planPlainGeneration } from "../../../src/server/engine/plain-generation.js";
import { tinyModelPath } from "../../support/tiny-model.js";

let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;
before(async () => {
  llama = await getLlama({ gpu: false, build: "never", skipDownload: true, maxThreads: 1 });
  model = await llama.loadModel({ modelPath: await tinyModelPath({ banBias: 0 }) });
  context = await model.createContext({ contextSize: 512, sequences: 2, threads: 1 });
});
after(async () => {
  await context.dispose();
  await model.dispose();
});

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

test("issue 10 S2.2 the plain-text path writes what LlamaChat writes, for the same settings", async () => {
  // Byte tokens allowed (banBias 0), so replies hold split characters; the space SentencePiece
  // puts before a reply's first word is left out by both.
  const wrapper = new ChatMLChatWrapper();
  // One sequence each, kept from case to case: both reuse the prefix their sequence holds.
  const plainSequence = context.getSequence();
  const chatSequence = context.getSequence();
  const cases = [
    { temperature: 0 },
    { temperature: 0.9, seed: 42 },
    // Starts with a word token (" where"): the leading space is left out.
    { temperature: 0.7, seed: 1 },
    { temperature: 0.8, seed: 3, penalties: { penalty: 1, frequencyPenalty: 1, presencePenalty: 0.5 } },
    { temperature: 0, stop: ["e", " t"] },
  ];
  for (const { penalties, stop = [], ...sampling } of cases) {
    for (const text of ["story 1", "hello there"]) {
      const chatHistory: ChatHistoryItem[] = [
        { type: "user", text },
        { type: "model", response: [] },
      ];
      const state = wrapper.generateContextState({ chatHistory });
      const plainPlan = planPlainGeneration({
        tokenizer: model.tokenizer,
        settings: wrapper.settings,
        state,
        stop,
      });
      assert.ok(plainPlan);
      const plain = await generatePlainText({
        sequence: plainSequence,
        plan: plainPlan,
        prompt: state.contextText.tokenize(model.tokenizer),
        maxTokens: 40,
        sampling,
        penalties,
        signal: new AbortController().signal,
      });
      const chat = new LlamaChat({ contextSequence: chatSequence, chatWrapper: wrapper });
      const reference = await chat.generateResponse(chatHistory, {
        ...sampling,
        maxTokens: 40,
        customStopTriggers: stop.length > 0 ? stop : undefined,
        repeatPenalty: penalties ?? false,
      });
      chat.dispose({ disposeSequence: false });
      const label = JSON.stringify({ text, sampling, penalties, stop });
      assert.equal(plain.content, reference.response, label);
      assert.equal(plain.finishReason === "length", reference.metadata.stopReason === "maxTokens", label);
    }
  }
});
