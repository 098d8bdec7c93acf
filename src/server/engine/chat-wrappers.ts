// Which chat wrapper renders the conversation and recognises function calls (S2.2): the one given
// by the `chatWrapper` engine option, else the one the model's GGUF metadata asks for (the tiny
// model's marker), else the one node-llama-cpp resolves from the model's own chat template.
import type {
  ChatWrapper,
  ChatWrapperGeneratedContextState,
  ChatWrapperGeneratedPrefixTriggersContextState,
  ChatWrapperSettings,
  LlamaModel,
  ResolveChatWrapperWithModelOptions,
} from "node-llama-cpp";
import { chatWrapperMetadataKey, tinyToolChatWrapperName } from "./tiny-model.js";
import type { NodeLlamaCpp } from "./load-node-llama-cpp.js";

/** A chat wrapper instance, or the name of one (`auto`, a node-llama-cpp type, or `tiny-tool-chatml`). */
export type ChatWrapperOption = string | ChatWrapper;

/**
 * ChatML whose function-call prefix is the single control token `<tool_call>`: a random-weight
 * model never writes ChatML's textual `||call:` syntax, but with a logit bias on one token it
 * does call (see the reference notes on the tiny model).
 */
export function createTinyToolChatWrapper(llama: NodeLlamaCpp): ChatWrapper {
  const { ChatMLChatWrapper, LlamaText, SpecialTokensText } = llama;
  const special = (text: string) => LlamaText(new SpecialTokensText(text));
  const chatMLSettings = new ChatMLChatWrapper().settings;
  class TinyToolChatWrapper extends ChatMLChatWrapper {
    override readonly wrapperName = "TinyToolChatML";
    override readonly settings: ChatWrapperSettings = {
      ...chatMLSettings,
      functions: {
        call: {
          optionalPrefixSpace: true,
          prefix: special("<tool_call>"),
          paramsPrefix: special("("),
          suffix: special(")</tool_call>"),
          emptyCallParamsPlaceholder: {},
        },
        result: { prefix: special("\n<tool_response>"), suffix: special("</tool_response>\n") },
      },
    };
  }
  return new TinyToolChatWrapper();
}

/** Resolves the wrapper for a loaded model. */
export function resolveModelChatWrapper(
  llama: NodeLlamaCpp,
  model: LlamaModel,
  option: ChatWrapperOption = "auto",
): ChatWrapper {
  if (typeof option !== "string") return option;
  const marker = readMarker(model);
  const name = option === "auto" && marker !== undefined ? marker : option;
  if (name === tinyToolChatWrapperName) return createTinyToolChatWrapper(llama);
  return llama.resolveChatWrapper(model, { type: name as ResolveChatWrapperWithModelOptions["type"] });
}

function readMarker(model: LlamaModel): string | undefined {
  // node-llama-cpp nests dotted GGUF keys: `ai_inference.chat_wrapper` is metadata.ai_inference.chat_wrapper.
  let value: unknown = model.fileInfo.metadata;
  for (const part of chatWrapperMetadataKey.split(".")) {
    value =
      typeof value === "object" && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  return typeof value === "string" ? value : undefined;
}

/**
 * The same wrapper, but generation starts in function-calling mode, so the model must call one
 * of the functions it is given (`tool_choice` `required` or a named function). node-llama-cpp
 * offers this as a context state's `noPrefixTrigger`; a proxy sets it without subclassing each
 * wrapper type. Wrappers whose state starts function calling another way are left as they are.
 */
export function forceFunctionCall(llama: NodeLlamaCpp, wrapper: ChatWrapper): ChatWrapper {
  return new Proxy(wrapper, {
    get(target, property, receiver) {
      if (property !== "generateContextState") return Reflect.get(target, property, receiver);
      return (...args: Parameters<ChatWrapper["generateContextState"]>): ChatWrapperGeneratedContextState => {
        const state = target.generateContextState(...args);
        if (state.functionCall !== undefined || state.ignoreStartText !== undefined) return state;
        return {
          ...(state as ChatWrapperGeneratedPrefixTriggersContextState),
          prefixTriggers: undefined,
          noPrefixTrigger: { type: "functionCall", inject: llama.LlamaText([]) },
        };
      };
    },
  });
}
