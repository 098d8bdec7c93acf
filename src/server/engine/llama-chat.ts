// One chat request on the llama engine (S2.2): checks what depends on the model, maps the request
// onto node-llama-cpp's `LlamaChat.generateResponse` (which stops at function calls and returns
// them without running anything), and maps the outcome back.
import type {
  ChatModelFunctions,
  ChatWrapper,
  LLamaChatGenerateResponseOptions,
  Llama,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
} from "node-llama-cpp";
import { HttpError, unsupported } from "../http-error.js";
import { toChatHistory } from "./chat-history.js";
import { forceFunctionCall } from "./chat-wrappers.js";
import type {
  EngineChatRequest,
  EngineChatResult,
  EngineFinishReason,
  EngineRunOptions,
  PreparedChat,
} from "./engine.js";
import { toGrammarSchema } from "./json-schema-support.js";
import type { NodeLlamaCpp } from "./load-node-llama-cpp.js";

/** What a chat needs from the loaded engine. */
export interface LlamaChatDeps {
  readonly module: NodeLlamaCpp;
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly chatWrapper: ChatWrapper;
  readonly contextSize: number;
  readonly vocabularySize: number;
  /** Grammars by schema text, so a repeated schema is compiled once. */
  grammarFor(key: string, create: () => Promise<LlamaGrammar>): Promise<LlamaGrammar>;
  acquireSequence(signal: AbortSignal): Promise<{ item: LlamaContextSequence; release: () => void }>;
  /** Decodes this generation's tokens in one batch with the others' (lockstep-batching.ts); returns its leave function. */
  joinLockstep(): () => void;
}

/** The defaults of S2.2. */
const defaultTemperature = 0.7;
const defaultTopP = 1;

export async function prepareLlamaChat(
  deps: LlamaChatDeps,
  request: EngineChatRequest,
): Promise<PreparedChat> {
  const functionsEnabled = request.tools.length > 0 && request.toolChoice !== "none";
  const grammar = await prepareGrammar(deps, request, functionsEnabled);
  checkLogitBias(deps, request, grammar !== undefined || functionsEnabled);
  const functions = functionsEnabled ? prepareFunctions(request) : undefined;
  const forced = request.toolChoice === "required" || typeof request.toolChoice === "object";
  const chatWrapper =
    functions && forced ? forceFunctionCall(deps.module, deps.chatWrapper) : deps.chatWrapper;
  const history = toChatHistory(request.messages);
  const promptTokens = chatWrapper
    .generateContextState({
      chatHistory: history,
      availableFunctions: functions,
      documentFunctionParams: true,
    })
    .contextText.tokenize(deps.model.tokenizer).length;
  const maxTokens = checkContext(deps.contextSize, promptTokens, request.maxTokens);

  const sampling = {
    maxTokens,
    temperature: request.temperature ?? defaultTemperature,
    // top_p 1 keeps every token: leaving it out spares llama.cpp a sort of the logits per token.
    topP: (request.topP ?? defaultTopP) < 1 ? request.topP : undefined,
    seed: request.seed,
    ...extraSampling(request.extra),
    customStopTriggers: request.stop.length > 0 ? request.stop : undefined,
    repeatPenalty: repeatPenalty(request),
    tokenBias: request.logitBias ? tokenBias(deps, request.logitBias) : undefined,
  };
  // A grammar and functions exclude each other (prepareGrammar refuses the combination).
  const options: LLamaChatGenerateResponseOptions<ChatModelFunctions> = grammar
    ? { ...sampling, grammar }
    : functions
      ? {
          ...sampling,
          functions,
          documentFunctionParams: true,
          maxParallelFunctionCalls: request.parallelToolCalls ? undefined : 1,
        }
      : sampling;

  return {
    promptTokens,
    async run({ signal, onText }: EngineRunOptions): Promise<EngineChatResult> {
      const { item: sequence, release } = await deps.acquireSequence(signal);
      const chat = new deps.module.LlamaChat({ contextSequence: sequence, chatWrapper });
      let leaveLockstep: (() => void) | undefined;
      try {
        const outputBefore = sequence.tokenMeter.getState().usedOutputTokens;
        const response = await chat.generateResponse(history, {
          ...options,
          signal,
          onTextChunk: onText,
          onToken: () => (leaveLockstep ??= deps.joinLockstep()),
        });
        signal.throwIfAborted();
        const completionTokens = sequence.tokenMeter.getState().usedOutputTokens - outputBefore;
        const toolCalls = (response.functionCalls ?? []).map((call) => ({
          name: call.functionName,
          arguments: JSON.stringify(call.params ?? {}),
        }));
        return {
          content: response.response,
          toolCalls,
          finishReason: finishReason(response.metadata.stopReason, toolCalls.length),
          usage: { promptTokens, completionTokens },
        };
      } finally {
        leaveLockstep?.();
        chat.dispose({ disposeSequence: false });
        release();
      }
    },
  };
}

function finishReason(stopReason: string, toolCalls: number): EngineFinishReason {
  if (toolCalls > 0) return "tool_calls";
  return stopReason === "maxTokens" ? "length" : "stop";
}

/** `max_tokens` defaults to the rest of the context; more than the context holds is a 400. */
function checkContext(contextSize: number, promptTokens: number, maxTokens: number | undefined): number {
  const room = contextSize - promptTokens;
  if (room < 1) {
    throw new HttpError({
      status: 400,
      code: "context_length_exceeded",
      message: `The prompt is ${promptTokens} tokens, more than the context of ${contextSize} tokens can hold with a reply.`,
      param: "messages",
    });
  }
  if (maxTokens !== undefined && maxTokens > room) {
    throw new HttpError({
      status: 400,
      code: "context_length_exceeded",
      message:
        `'max_tokens' ${maxTokens} plus the prompt's ${promptTokens} tokens exceed the context of ` +
        `${contextSize} tokens; at most ${room} tokens remain for the reply.`,
      param: "max_tokens",
    });
  }
  return maxTokens ?? room;
}

async function prepareGrammar(
  deps: LlamaChatDeps,
  request: EngineChatRequest,
  functionsEnabled: boolean,
): Promise<LlamaGrammar | undefined> {
  const format = request.responseFormat;
  if (format.type === "text") return undefined;
  if (functionsEnabled) {
    throw unsupported(
      `'response_format' ${format.type} cannot be combined with 'tools' by this engine; ` +
        "send tool_choice 'none' or leave one of them out.",
      "response_format",
    );
  }
  if (format.type === "json_object") return deps.grammarFor("json", () => deps.llama.getGrammarFor("json"));
  const { schema, unenforceable } = toGrammarSchema(format.schema);
  if (format.strict && unenforceable.length > 0) {
    const { keyword, path } = unenforceable[0];
    throw unsupported(
      `The JSON Schema keyword '${keyword}' (at ${path}) cannot be enforced by this engine's grammar; ` +
        "remove it, or set strict to false to have it ignored.",
      `response_format.json_schema.schema.${path}`,
    );
  }
  const key = JSON.stringify(schema);
  try {
    return await deps.grammarFor(key, () => deps.llama.createGrammarForJsonSchema(schema as never));
  } catch (error) {
    throw unsupported(
      `The JSON Schema cannot be turned into a grammar: ${error instanceof Error ? error.message : String(error)}`,
      "response_format.json_schema.schema",
    );
  }
}

/** The functions the model may call: all tools, or the one `tool_choice` names. */
function prepareFunctions(request: EngineChatRequest): ChatModelFunctions {
  const choice = request.toolChoice;
  const entries = request.tools.flatMap((tool, index) => {
    if (typeof choice === "object" && choice.name !== tool.name) return [];
    let params: Record<string, unknown> | undefined;
    if (tool.parameters) {
      const { schema, unenforceable } = toGrammarSchema(tool.parameters);
      if (tool.strict && unenforceable.length > 0) {
        const { keyword, path } = unenforceable[0];
        throw unsupported(
          `The JSON Schema keyword '${keyword}' (at ${path}) of tool '${tool.name}' cannot be enforced by this ` +
            "engine's grammar; remove it, or set strict to false to have it ignored.",
          `tools[${index}].function.parameters.${path}`,
        );
      }
      params = schema;
    }
    return [[tool.name, { description: tool.description, params }] as const];
  });
  return Object.fromEntries(entries) as ChatModelFunctions;
}

/** `logit_bias` with a grammar crashes llama.cpp (the reference notes' pitfall 4): refused. */
function checkLogitBias(deps: LlamaChatDeps, request: EngineChatRequest, usesGrammar: boolean): void {
  if (!request.logitBias) return;
  if (usesGrammar) {
    throw unsupported(
      "'logit_bias' cannot be combined with 'response_format' json or with 'tools' on this engine " +
        "(llama.cpp fails when a token bias meets a grammar).",
      "logit_bias",
    );
  }
  for (const token of Object.keys(request.logitBias)) {
    if (Number(token) >= deps.vocabularySize) {
      throw unsupported(
        `'logit_bias' names token ${token}, but the model has ${deps.vocabularySize} tokens.`,
        "logit_bias",
      );
    }
  }
}

function tokenBias(deps: LlamaChatDeps, logitBias: Readonly<Record<string, number>>) {
  const bias = new deps.module.TokenBias(deps.model.tokenizer);
  for (const [token, value] of Object.entries(logitBias)) bias.set(Number(token) as never, { logit: value });
  return bias;
}

/** OpenAI penalties only when asked: node-llama-cpp's own default repeat penalty (1.1) would change replies. */
function repeatPenalty(request: EngineChatRequest) {
  const { frequencyPenalty, presencePenalty } = request;
  const penalty = typeof request.extra.repeat_penalty === "number" ? request.extra.repeat_penalty : 1;
  if (frequencyPenalty === undefined && presencePenalty === undefined && penalty === 1) return false as const;
  return { penalty, frequencyPenalty: frequencyPenalty ?? 0, presencePenalty: presencePenalty ?? 0 };
}

/** Pass-through keys the engine can use (`top_k`, `min_p`); the rest are ignored. */
function extraSampling(extra: Readonly<Record<string, unknown>>): { topK?: number; minP?: number } {
  const result: { topK?: number; minP?: number } = {};
  if (typeof extra.top_k === "number" && Number.isInteger(extra.top_k) && extra.top_k >= 0)
    result.topK = extra.top_k;
  if (typeof extra.min_p === "number" && extra.min_p >= 0 && extra.min_p <= 1) result.minP = extra.min_p;
  return result;
}
