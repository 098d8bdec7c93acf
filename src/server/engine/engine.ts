// The one small interface between the server and whatever produces the tokens (S2.1): the llama
// engine now, a proxy to an upstream endpoint later. Requests arrive here already validated and in
// engine-neutral form (chat-request.ts builds them), so an engine only checks what depends on it
// (context size, schema keywords its grammar can't enforce...) and throws `HttpError` for those.

/** One message of the conversation, normalised from any wire form. */
export type EngineMessage =
  | { readonly role: "system" | "developer" | "user"; readonly content: string; readonly name?: string }
  | {
      readonly role: "assistant";
      readonly content: string | null;
      readonly toolCalls: readonly EngineToolCall[];
      readonly name?: string;
    }
  | { readonly role: "tool"; readonly content: string; readonly toolCallId: string };

/** A function call made by the model (arguments as JSON text, as on the wire). */
export interface EngineToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** A function the model may call. */
export interface EngineTool {
  readonly name: string;
  readonly description?: string;
  /** A JSON Schema object; `undefined` for a function without parameters. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** The caller asked for exact schema enforcement (`function.strict`). */
  readonly strict: boolean;
}

/** How the reply is constrained. */
export type EngineResponseFormat =
  | { readonly type: "text" }
  | { readonly type: "json_object" }
  | {
      readonly type: "json_schema";
      readonly name: string;
      readonly schema: Readonly<Record<string, unknown>>;
      readonly strict: boolean;
    };

/** `tool_choice`: a preset, or one function by name. */
export type EngineToolChoice = "auto" | "none" | "required" | { readonly name: string };

/** A validated chat request. Absent fields mean "the engine's default". */
export interface EngineChatRequest {
  readonly messages: readonly EngineMessage[];
  readonly temperature?: number;
  readonly topP?: number;
  readonly seed?: number;
  readonly maxTokens?: number;
  readonly stop: readonly string[];
  readonly frequencyPenalty?: number;
  readonly presencePenalty?: number;
  readonly responseFormat: EngineResponseFormat;
  readonly tools: readonly EngineTool[];
  readonly toolChoice: EngineToolChoice;
  /** `false` allows at most one call per reply. */
  readonly parallelToolCalls: boolean;
  /** Token id → bias (OpenAI's `logit_bias`). */
  readonly logitBias?: Readonly<Record<string, number>>;
  /** Keys passed through under `extra-parameters: pass-through`; the engine ignores what it can't use. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Why generation ended. */
export type EngineFinishReason = "stop" | "length" | "tool_calls";

/** The finished reply. */
export interface EngineChatResult {
  readonly content: string;
  readonly toolCalls: readonly { readonly name: string; readonly arguments: string }[];
  readonly finishReason: EngineFinishReason;
  readonly usage: EngineUsage;
}

/** Token counts of one chat run. */
export interface EngineUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/** Where a running generation reports as it goes. */
export interface EngineRunOptions {
  /** Aborting stops the generation at once; `run()` then rejects with the signal's reason. */
  readonly signal: AbortSignal;
  /** Each piece of reply text as it is generated (streaming). */
  onText?(text: string): void;
  /**
   * Told the token counts once the run is over, however it ended: an aborted run reports the
   * tokens generated until then (the server logs them with its 499).
   */
  onUsage?(usage: EngineUsage): void;
}

/** A request checked against the engine and tokenized, ready to run. */
export interface PreparedChat {
  /** Prompt tokens, counted before generation (the usage reports the same number). */
  readonly promptTokens: number;
  run(options: EngineRunOptions): Promise<EngineChatResult>;
}

/** A validated embeddings request. */
export interface EngineEmbeddingsRequest {
  readonly input: readonly string[];
  readonly dimensions?: number;
}

/** The vectors, in input order. */
export interface EngineEmbeddingsResult {
  readonly vectors: readonly (readonly number[])[];
  readonly promptTokens: number;
}

/** What `/info` and `/v1/models` say. */
export interface EngineModelInfo {
  /** The loaded model's name (replies name it in `model`). */
  readonly modelName: string;
  readonly modelType: string;
  readonly modelProviderName: string;
  /** Tokens the context holds (prompt + reply). */
  readonly contextSize: number;
  readonly embeddingSize: number;
}

/**
 * An engine: chat, embeddings, model info. The server admits at most `maxConcurrent` requests at
 * once and queues the rest (S1.6); it calls `prepareChat` and `embed` only once a request holds a
 * slot, so an engine need not queue, and expensive checks (tokenizing, compiling a grammar) wait
 * their turn like generation does.
 */
export interface Engine {
  readonly info: EngineModelInfo;
  /**
   * Optional cheap checks, run before the request waits for a slot: they must not tokenize or
   * compile anything, only refuse (`HttpError` 400) what certainly cannot run, such as a prompt
   * with more characters than any tokenization of it could fit in the context.
   */
  checkChat?(request: EngineChatRequest): void;
  /**
   * Checks the request against the engine and counts its prompt; throws `HttpError` (400) when it
   * can't run. Called once the request holds a slot.
   */
  prepareChat(request: EngineChatRequest): Promise<PreparedChat>;
  embed(
    request: EngineEmbeddingsRequest,
    options: { readonly signal: AbortSignal },
  ): Promise<EngineEmbeddingsResult>;
  /** Frees the model. Running generations are aborted. */
  close(): Promise<void>;
}
