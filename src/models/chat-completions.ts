// The response side of chat completions (M8): ChatCompletions and what it holds.
import { type AttributeInput, type Attributes, Model } from "./model.js";
import { defineModel, field } from "./define-model.js";
import type { AudioContentFormat, ChatRole, CompletionsFinishReason } from "./enums.js";

/**
 * One chat completions response. Keys the service sends beyond these fields (`object`,
 * `system_fingerprint`, `prompt_filter_results`, `service_tier`, vendor extras) are kept and
 * reachable through the mapping view (`get`, `keys`, `asDict`).
 *
 * Types are those of the service's specification and are not validated: a real response may
 * carry something else, which is returned as stored. `usage` is optional: a streamed answer
 * accumulated from a Model Inference endpoint has none unless the service sent it.
 * @example
 * const completions = ChatCompletions.fromJSON(text);
 * completions.choices[0].message.content; completions.usage?.totalTokens; completions.get("system_fingerprint");
 */
export class ChatCompletions extends Model {
  declare id: string;
  declare model: string;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    id: field.value(),
    created: field.date(),
    model: field.value(),
    choices: field.list(() => ChatChoice),
    usage: field.model(() => CompletionsUsage),
  }));
  constructor(attributes?: Attributes<ChatCompletions>) {
    super(attributes);
  }
}

// The typed view's fields whose setters take more than their getters return (M3.4, M5.3): a class
// cannot declare such a pair without implementing it, and defineModel implements them.
export interface ChatCompletions {
  /** Seconds since the Unix epoch on the wire, a `Date` here; set a `Date` or seconds. */
  get created(): Date;
  set created(value: AttributeInput<Date> | undefined);
  get choices(): ChatChoice[];
  set choices(value: AttributeInput<ChatChoice[]> | undefined);
  /** Token counts; absent from a streamed answer whose service sent none. */
  get usage(): CompletionsUsage | null | undefined;
  set usage(value: AttributeInput<CompletionsUsage> | null | undefined);
}

/** One answer among a response's choices. */
export class ChatChoice extends Model {
  declare index: number;
  declare finishReason: CompletionsFinishReason | null;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    index: field.value(),
    finishReason: field.value(),
    message: field.model(() => ChatResponseMessage),
  }));
  constructor(attributes?: Attributes<ChatChoice>) {
    super(attributes);
  }
}

export interface ChatChoice {
  get message(): ChatResponseMessage;
  set message(value: AttributeInput<ChatResponseMessage> | undefined);
}

/** The assistant's message in a choice. Extras such as `refusal` stay in the mapping view. */
export class ChatResponseMessage extends Model {
  declare role: ChatRole;
  declare content: string | null;
  declare reasoningContent: string | null | undefined;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    role: field.value(),
    content: field.value(),
    toolCalls: field.list(() => ChatCompletionsToolCall),
    reasoningContent: field.value(),
    audio: field.model(() => ChatCompletionsAudio),
  }));
  constructor(attributes?: Attributes<ChatResponseMessage>) {
    super(attributes);
  }
}

export interface ChatResponseMessage {
  get toolCalls(): ChatCompletionsToolCall[] | null | undefined;
  set toolCalls(value: AttributeInput<ChatCompletionsToolCall[]> | null | undefined);
  get audio(): ChatCompletionsAudio | null | undefined;
  set audio(value: AttributeInput<ChatCompletionsAudio> | null | undefined);
}

/** Audio produced by the model. */
export class ChatCompletionsAudio extends Model {
  declare id: string;
  /** Base64-encoded audio. */
  declare data: string;
  declare format: AudioContentFormat | null | undefined;
  declare transcript: string;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    id: field.value(),
    expiresAt: field.date(),
    data: field.value(),
    format: field.value(),
    transcript: field.value(),
  }));
  constructor(attributes?: Attributes<ChatCompletionsAudio>) {
    super(attributes);
  }
}

export interface ChatCompletionsAudio {
  /** Seconds since the Unix epoch on the wire, a `Date` here; set a `Date` or seconds. */
  get expiresAt(): Date;
  set expiresAt(value: AttributeInput<Date> | undefined);
}

/** Token counts of a request and its answer. */
export class CompletionsUsage extends Model {
  declare completionTokens: number;
  declare promptTokens: number;
  declare totalTokens: number;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    completionTokens: field.value(),
    promptTokens: field.value(),
    totalTokens: field.value(),
    completionTokensDetails: field.model(() => CompletionTokensDetails),
    promptTokensDetails: field.model(() => PromptTokensDetails),
  }));
  constructor(attributes?: Attributes<CompletionsUsage>) {
    super(attributes);
  }
}

export interface CompletionsUsage {
  get completionTokensDetails(): CompletionTokensDetails | null | undefined;
  set completionTokensDetails(value: AttributeInput<CompletionTokensDetails> | null | undefined);
  get promptTokensDetails(): PromptTokensDetails | null | undefined;
  set promptTokensDetails(value: AttributeInput<PromptTokensDetails> | null | undefined);
}

/** Breakdown of the completion's tokens. */
export class CompletionTokensDetails extends Model {
  declare audioTokens: number | null | undefined;
  declare reasoningTokens: number | null | undefined;
  declare totalTokens: number | null | undefined;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    audioTokens: field.value(),
    reasoningTokens: field.value(),
    totalTokens: field.value(),
  }));
  constructor(attributes?: Attributes<CompletionTokensDetails>) {
    super(attributes);
  }
}

/** Breakdown of the prompt's tokens. */
export class PromptTokensDetails extends Model {
  declare audioTokens: number | null | undefined;
  declare cachedTokens: number | null | undefined;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    audioTokens: field.value(),
    cachedTokens: field.value(),
  }));
  constructor(attributes?: Attributes<PromptTokensDetails>) {
    super(attributes);
  }
}

/** A function call requested by the model. `type` is always `"function"` in the attribute form. */
export class ChatCompletionsToolCall extends Model {
  declare id: string;
  declare type: "function" | (string & {});
  static #defined = /* @__PURE__ */ defineModel(
    this,
    () => ({ id: field.value(), type: field.value(), function: field.model(() => FunctionCall) }),
    { fixed: { key: "type", value: "function" } },
  );
  constructor(attributes?: Attributes<ChatCompletionsToolCall>) {
    super(attributes);
  }
}

export interface ChatCompletionsToolCall {
  get function(): FunctionCall;
  set function(value: AttributeInput<FunctionCall> | undefined);
}

/**
 * The function a tool call names. `arguments` is JSON text written by the model: it may be
 * invalid JSON and is never parsed implicitly.
 */
export class FunctionCall extends Model {
  declare name: string;
  declare arguments: string;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    name: field.value(),
    arguments: field.value(),
  }));
  constructor(attributes?: Attributes<FunctionCall>) {
    super(attributes);
  }
}
