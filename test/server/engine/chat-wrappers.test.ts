import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ChatMLChatWrapper, getLlama, type Llama, type LlamaModel } from "node-llama-cpp";
import { forceFunctionCall, resolveModelChatWrapper } from "../../../src/server/engine/chat-wrappers.js";
import { loadNodeLlamaCpp } from "../../../src/server/engine/load-node-llama-cpp.js";
import { tinyModelPath } from "../../support/tiny-model.js";

let llama: Llama;
let marked: LlamaModel;
let unmarked: LlamaModel;
before(async () => {
  llama = await getLlama({ gpu: false, build: "never", skipDownload: true, maxThreads: 1 });
  marked = await llama.loadModel({ modelPath: await tinyModelPath() });
  unmarked = await llama.loadModel({ modelPath: await tinyModelPath({ chatWrapperMarker: false }) });
});
after(async () => {
  await marked.dispose();
  await unmarked.dispose();
});

test("S2.2 the tiny model's metadata marker selects the one-token <tool_call> wrapper", async () => {
  const wrapper = resolveModelChatWrapper(await loadNodeLlamaCpp(), marked);
  assert.equal(wrapper.wrapperName, "TinyToolChatML");
  assert.equal(wrapper.settings.functions.call.prefix.toString(), "<tool_call>");
});

test("S2.2 without the marker node-llama-cpp resolves the wrapper from the chat template", async () => {
  assert.equal(resolveModelChatWrapper(await loadNodeLlamaCpp(), unmarked).wrapperName, "ChatML");
});

test("S2.2 the chatWrapper option wins: a name or an instance", async () => {
  const module = await loadNodeLlamaCpp();
  assert.equal(resolveModelChatWrapper(module, unmarked, "tiny-tool-chatml").wrapperName, "TinyToolChatML");
  assert.equal(resolveModelChatWrapper(module, marked, "chatML").wrapperName, "ChatML");
  const mine = new ChatMLChatWrapper();
  assert.equal(resolveModelChatWrapper(module, marked, mine), mine);
});

test("S2.2 a forced wrapper starts generation in function-calling mode", async () => {
  const module = await loadNodeLlamaCpp();
  const base = resolveModelChatWrapper(module, marked);
  const forced = forceFunctionCall(module, base);
  const history = [
    { type: "user" as const, text: "hi" },
    { type: "model" as const, response: [] },
  ];
  const state = forced.generateContextState({ chatHistory: history });
  assert.equal(state.noPrefixTrigger?.type, "functionCall");
  assert.equal(
    state.contextText.toString(),
    base.generateContextState({ chatHistory: history }).contextText.toString(),
  );
  assert.equal(forced.wrapperName, base.wrapperName);
});
