// The response side of chat completions (M8): ChatCompletions and what it holds.
import { type Attributes, Model } from "./model.js";
import { defineModel, field } from "./define-model.js";
import type { AudioContentFormat, ChatRole, CompletionsFinishReason } from "./enums.js";

/**
 * One chat completions response. Keys the service sends beyond these fields (`object`,
 * `system_fingerprint`, `prompt_filter_results`, `service_tier`, vendor extras) are kept and
 * reachable through the mapping view (`get`, `keys`, `asDict`).
 *
 * Types are those of the service's specification and are not validated: a real response may
 * carry something else, which is returned as stored.
 * @example
 * const completions = ChatCompletions.fromJSON(text);
 * completions.choices[0].message.content; completions.get("system_fingerprint");
 */
export class ChatCompletions extends Model {
  declare id: string;
  /** Seconds since the Unix epoch on the wire, a `Date` here. */
  declare created: Date;
  declare model: string;
  declare choices: ChatChoice[];
  declare usage: CompletionsUsage;
  constructor(attributes?: Attributes<ChatCompletions>) {
    super(attributes);
  }
}

/** One answer among a response's choices. */
export class ChatChoice extends Model {
  declare index: number;
  declare finishReason: CompletionsFinishReason | null;
  declare message: ChatResponseMessage;
  constructor(attributes?: Attributes<ChatChoice>) {
    super(attributes);
  }
}

/** The assistant's message in a choice. Extras such as `refusal` stay in the mapping view. */
export class ChatResponseMessage extends Model {
  declare role: ChatRole;
  declare content: string | null;
  declare toolCalls: ChatCompletionsToolCall[] | null | undefined;
  declare reasoningContent: string | null | undefined;
  declare audio: ChatCompletionsAudio | null | undefined;
  constructor(attributes?: Attributes<ChatResponseMessage>) {
    super(attributes);
  }
}

/** Audio produced by the model. */
export class ChatCompletionsAudio extends Model {
  declare id: string;
  /** Seconds since the Unix epoch on the wire, a `Date` here. */
  declare expiresAt: Date;
  /** Base64-encoded audio. */
  declare data: string;
  declare format: AudioContentFormat | null | undefined;
  declare transcript: string;
  constructor(attributes?: Attributes<ChatCompletionsAudio>) {
    super(attributes);
  }
}

/** Token counts of a request and its answer. */
export class CompletionsUsage extends Model {
  declare completionTokens: number;
  declare promptTokens: number;
  declare totalTokens: number;
  declare completionTokensDetails: CompletionTokensDetails | null | undefined;
  declare promptTokensDetails: PromptTokensDetails | null | undefined;
  constructor(attributes?: Attributes<CompletionsUsage>) {
    super(attributes);
  }
}

/** Breakdown of the completion's tokens. */
export class CompletionTokensDetails extends Model {
  declare audioTokens: number | null | undefined;
  declare reasoningTokens: number | null | undefined;
  declare totalTokens: number | null | undefined;
  constructor(attributes?: Attributes<CompletionTokensDetails>) {
    super(attributes);
  }
}

/** Breakdown of the prompt's tokens. */
export class PromptTokensDetails extends Model {
  declare audioTokens: number | null | undefined;
  declare cachedTokens: number | null | undefined;
  constructor(attributes?: Attributes<PromptTokensDetails>) {
    super(attributes);
  }
}

/** A function call requested by the model. `type` is always `"function"` in the attribute form. */
export class ChatCompletionsToolCall extends Model {
  declare id: string;
  declare type: "function" | (string & {});
  declare function: FunctionCall;
  constructor(attributes?: Attributes<ChatCompletionsToolCall>) {
    super(attributes);
  }
}

/**
 * The function a tool call names. `arguments` is JSON text written by the model: it may be
 * invalid JSON and is never parsed implicitly.
 */
export class FunctionCall extends Model {
  declare name: string;
  declare arguments: string;
  constructor(attributes?: Attributes<FunctionCall>) {
    super(attributes);
  }
}

defineModel(ChatCompletions, {
  id: field.value(),
  created: field.date(),
  model: field.value(),
  choices: field.list(() => ChatChoice),
  usage: field.model(() => CompletionsUsage),
});
defineModel(ChatChoice, {
  index: field.value(),
  finishReason: field.value(),
  message: field.model(() => ChatResponseMessage),
});
defineModel(ChatResponseMessage, {
  role: field.value(),
  content: field.value(),
  toolCalls: field.list(() => ChatCompletionsToolCall),
  reasoningContent: field.value(),
  audio: field.model(() => ChatCompletionsAudio),
});
defineModel(ChatCompletionsAudio, {
  id: field.value(),
  expiresAt: field.date(),
  data: field.value(),
  format: field.value(),
  transcript: field.value(),
});
defineModel(CompletionsUsage, {
  completionTokens: field.value(),
  promptTokens: field.value(),
  totalTokens: field.value(),
  completionTokensDetails: field.model(() => CompletionTokensDetails),
  promptTokensDetails: field.model(() => PromptTokensDetails),
});
defineModel(CompletionTokensDetails, {
  audioTokens: field.value(),
  reasoningTokens: field.value(),
  totalTokens: field.value(),
});
defineModel(PromptTokensDetails, { audioTokens: field.value(), cachedTokens: field.value() });
defineModel(
  ChatCompletionsToolCall,
  { id: field.value(), type: field.value(), function: field.model(() => FunctionCall) },
  { fixed: { key: "type", value: "function" } },
);
defineModel(FunctionCall, { name: field.value(), arguments: field.value() });
