// One chat request on the llama engine (S2.2): checks what depends on the model, maps the request
// onto node-llama-cpp's `LlamaChat.generateResponse` when functions are in play (it stops at
// function calls and returns them without running anything) and onto the plain-text path
// (plain-generation.ts) otherwise, and maps the outcome back.
import type {
  ChatModelFunctions,
  ChatWrapper,
  LLamaChatGenerateResponseOptions,
  Llama,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
} from "node-llama-cpp";
import { HttpError, badRequest, unsupported } from "../http-error.js";
import { toChatHistory } from "./chat-history.js";
import { forceFunctionCall } from "./chat-wrappers.js";
import type {
  EngineChatRequest,
  EngineChatResult,
  EngineFinishReason,
  EngineRunOptions,
  PreparedChat,
} from "./engine.js";
import { type GrammarSchema, maxGrammarAlternatives, toGrammarSchema } from "./json-schema-support.js";
import type { NodeLlamaCpp } from "./load-node-llama-cpp.js";
import { generatePlainText, planPlainGeneration } from "./plain-generation.js";
import { toSampling } from "./sampling.js";

/** What a chat needs from the loaded engine. */
export interface LlamaChatDeps {
  readonly module: NodeLlamaCpp;
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly chatWrapper: ChatWrapper;
  readonly contextSize: number;
  readonly vocabularySize: number;
  /**
   * The most UTF-8 bytes of input one token can stand for, when the tokenizer covers every input
   * byte with some token (SentencePiece, byte-level BPE); `undefined` when it may drop input
   * (WordPiece drops spaces), so no token count can be inferred from a length.
   */
  readonly maxBytesPerToken: number | undefined;
  /** Grammars by schema text, so a repeated schema is compiled once. */
  grammarFor(key: string, create: () => Promise<LlamaGrammar>): Promise<LlamaGrammar>;
  /** A free sequence: the server's capacity queue guarantees one (sequence-pool.ts). */
  takeSequence(): { item: LlamaContextSequence; release: () => void };
  /** Decodes this generation's tokens in one batch with the others' (lockstep-batching.ts); returns its leave function. */
  joinLockstep(): () => void;
}

/**
 * The cheap check before a request queues (issue 10): a prompt whose text is longer than any
 * tokenization of it could fit is refused without tokenizing it (1.7 s for 3.5 MB). Every token
 * stands for at most `maxBytesPerToken` input bytes, so the text's bytes divided by that is a
 * lower bound of the prompt's tokens (the template only adds to it).
 */
export function checkLlamaChat(deps: LlamaChatDeps, request: EngineChatRequest): void {
  if (deps.maxBytesPerToken === undefined) return;
  let bytes = 0;
  for (const message of request.messages) {
    if (message.content !== null) bytes += Buffer.byteLength(message.content, "utf8");
  }
  const fewestTokens = Math.ceil(bytes / deps.maxBytesPerToken);
  if (fewestTokens >= deps.contextSize) {
    throw new HttpError({
      status: 400,
      code: "context_length_exceeded",
      message:
        `The messages hold ${bytes} bytes of text, at least ${fewestTokens} tokens for this model: more than ` +
        `the context of ${deps.contextSize} tokens can hold with a reply.`,
      param: "messages",
    });
  }
  if (request.maxTokens !== undefined && fewestTokens + request.maxTokens > deps.contextSize) {
    throw new HttpError({
      status: 400,
      code: "context_length_exceeded",
      message:
        `'max_tokens' ${request.maxTokens} plus the prompt's at least ${fewestTokens} tokens exceed the context ` +
        `of ${deps.contextSize} tokens.`,
      param: "max_tokens",
    });
  }
}

export async function prepareLlamaChat(
  deps: LlamaChatDeps,
  request: EngineChatRequest,
): Promise<PreparedChat> {
  const functionsEnabled = request.tools.length > 0 && request.toolChoice !== "none";
  const grammar = await prepareGrammar(deps, request, functionsEnabled);
  checkLogitBias(deps, request, grammar !== undefined || functionsEnabled);
  const functions = functionsEnabled ? await prepareFunctions(deps, request) : undefined;
  const forced = request.toolChoice === "required" || typeof request.toolChoice === "object";
  const chatWrapper =
    functions && forced ? forceFunctionCall(deps.module, deps.chatWrapper) : deps.chatWrapper;
  const history = toChatHistory(request.messages);
  const state = chatWrapper.generateContextState({
    chatHistory: history,
    availableFunctions: functions,
    documentFunctionParams: true,
  });
  const prompt = state.contextText.tokenize(deps.model.tokenizer);
  const promptTokens = prompt.length;
  const maxTokens = checkContext(deps.contextSize, promptTokens, request.maxTokens);

  const { sampling, penalties } = toSampling(deps.module, deps.model, request);

  // Plain text (no functions in play) skips LlamaChat's per-token machinery (plain-generation.ts).
  const plan = functions
    ? undefined
    : planPlainGeneration({
        tokenizer: deps.model.tokenizer,
        settings: chatWrapper.settings,
        state,
        grammar,
        stop: request.stop,
      });
  if (plan) {
    return {
      promptTokens,
      run: (runOptions) =>
        runOnSequence(deps, promptTokens, runOptions, async (sequence, onFirstToken) => {
          const { content, finishReason } = await generatePlainText({
            sequence,
            plan,
            prompt,
            maxTokens,
            sampling,
            penalties,
            grammarEvaluationState: grammar
              ? new deps.module.LlamaGrammarEvaluationState({ model: deps.model, grammar })
              : undefined,
            signal: runOptions.signal,
            onText: runOptions.onText,
            onFirstToken,
          });
          return { content, toolCalls: [], finishReason };
        }),
    };
  }

  const common = {
    ...sampling,
    maxTokens,
    customStopTriggers: request.stop.length > 0 ? request.stop : undefined,
    repeatPenalty: penalties ?? (false as const),
  };
  // A grammar and functions exclude each other (prepareGrammar refuses the combination).
  const options: LLamaChatGenerateResponseOptions<ChatModelFunctions> = grammar
    ? { ...common, grammar }
    : functions
      ? {
          ...common,
          functions,
          documentFunctionParams: true,
          maxParallelFunctionCalls: request.parallelToolCalls ? undefined : 1,
        }
      : common;

  return {
    promptTokens,
    run: (runOptions) =>
      runOnSequence(deps, promptTokens, runOptions, async (sequence, onFirstToken) => {
        const chat = new deps.module.LlamaChat({ contextSequence: sequence, chatWrapper });
        try {
          const response = await chat.generateResponse(history, {
            ...options,
            signal: runOptions.signal,
            onTextChunk: runOptions.onText,
            onToken: onFirstToken,
          });
          const toolCalls = (response.functionCalls ?? []).map((call) => ({
            name: call.functionName,
            arguments: JSON.stringify(call.params ?? {}),
          }));
          return {
            content: response.response,
            toolCalls,
            finishReason: finishReason(response.metadata.stopReason, toolCalls.length),
          };
        } finally {
          chat.dispose({ disposeSequence: false });
        }
      }),
  };
}

/**
 * Runs a generation on a sequence of the pool: joins the lockstep batch from its first token to
 * its end, counts the reply's tokens with the sequence's token meter, and reports the usage
 * however the run ends (an aborted run's usage is logged with its 499).
 */
async function runOnSequence(
  deps: LlamaChatDeps,
  promptTokens: number,
  { signal, onUsage }: EngineRunOptions,
  generate: (
    sequence: LlamaContextSequence,
    onFirstToken: () => void,
  ) => Promise<Omit<EngineChatResult, "usage">>,
): Promise<EngineChatResult> {
  signal.throwIfAborted();
  const { item: sequence, release } = deps.takeSequence();
  const outputBefore = sequence.tokenMeter.getState().usedOutputTokens;
  const completionTokens = () => sequence.tokenMeter.getState().usedOutputTokens - outputBefore;
  let leaveLockstep: (() => void) | undefined;
  try {
    const result = await generate(sequence, () => (leaveLockstep ??= deps.joinLockstep()));
    signal.throwIfAborted();
    return { ...result, usage: { promptTokens, completionTokens: completionTokens() } };
  } finally {
    leaveLockstep?.();
    onUsage?.({ promptTokens, completionTokens: completionTokens() });
    release();
  }
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
  const { schema, unenforceable } = checkGrammarSchema(
    toGrammarSchema(format.schema),
    "response_format.json_schema.schema",
  );
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

/**
 * Refused, strict or not: a schema too large for the grammar, which would make every token crawl,
 * and one with something other than a schema where a schema belongs (issue 10).
 */
function checkGrammarSchema(grammar: GrammarSchema, param: string): GrammarSchema {
  if (grammar.notSchemas.length > 0) {
    const path = grammar.notSchemas[0];
    const at = path === "" ? param : `${param}.${path}`;
    throw badRequest(`'${at}' must be a JSON Schema (an object or a boolean).`, at);
  }
  if (grammar.alternatives > maxGrammarAlternatives) {
    throw unsupported(
      `The JSON Schema at '${param}' has ${grammar.alternatives} enum values, properties and oneOf/anyOf ` +
        `branches; this engine's grammar takes at most ${maxGrammarAlternatives}, since each one makes every ` +
        "generated token slower.",
      param,
    );
  }
  return grammar;
}

/**
 * The functions the model may call: all tools, or the one `tool_choice` names. Each parameter
 * schema is compiled now (and cached), so that one the grammar can't take is a 400 here rather
 * than a failure in the middle of generation.
 */
async function prepareFunctions(
  deps: LlamaChatDeps,
  request: EngineChatRequest,
): Promise<ChatModelFunctions> {
  const choice = request.toolChoice;
  const entries = request.tools.flatMap((tool, index) => {
    if (typeof choice === "object" && choice.name !== tool.name) return [];
    let params: Record<string, unknown> | undefined;
    if (tool.parameters) {
      const { schema, unenforceable } = checkGrammarSchema(
        toGrammarSchema(tool.parameters),
        `tools[${index}].function.parameters`,
      );
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
    return [[tool.name, { description: tool.description, params }, index] as const];
  });
  for (const [name, { params }, index] of entries) {
    if (params === undefined) continue;
    try {
      await deps.grammarFor(JSON.stringify(params), () =>
        deps.llama.createGrammarForJsonSchema(params as never),
      );
    } catch (error) {
      throw unsupported(
        `The parameters of tool '${name}' cannot be turned into a grammar: ${error instanceof Error ? error.message : String(error)}`,
        `tools[${index}].function.parameters`,
      );
    }
  }
  return Object.fromEntries(entries.map(([name, fn]) => [name, fn])) as ChatModelFunctions;
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
