// The streaming side (M8): one update per server-sent event of a streamed chat completion.
import { type Attributes, Model } from "./model.js";
import { defineModel, field } from "./define-model.js";
import type { ChatRole, CompletionsFinishReason } from "./enums.js";
import { CompletionsUsage, FunctionCall } from "./chat-completions.js";

/**
 * One chunk of a streamed chat completion. Chunks with empty `choices` are real (Azure OpenAI's
 * first chunk carries only `prompt_filter_results`; the usage-only last chunk has none) and are
 * delivered like any other.
 */
export class StreamingChatCompletionsUpdate extends Model {
  declare id: string;
  /** Seconds since the Unix epoch on the wire, a `Date` here. */
  declare created: Date;
  declare model: string;
  declare choices: StreamingChatChoiceUpdate[];
  declare usage: CompletionsUsage | null | undefined;
  constructor(attributes?: Attributes<StreamingChatCompletionsUpdate>) {
    super(attributes);
  }
}

/** The part of one choice that a chunk carries. */
export class StreamingChatChoiceUpdate extends Model {
  declare index: number;
  declare finishReason: CompletionsFinishReason | null;
  declare delta: StreamingChatResponseMessageUpdate;
  constructor(attributes?: Attributes<StreamingChatChoiceUpdate>) {
    super(attributes);
  }
}

/** The new part of the assistant's message. */
export class StreamingChatResponseMessageUpdate extends Model {
  declare role: ChatRole | null | undefined;
  declare content: string | null | undefined;
  declare toolCalls: StreamingChatResponseToolCallUpdate[] | null | undefined;
  declare reasoningContent: string | null | undefined;
  constructor(attributes?: Attributes<StreamingChatResponseMessageUpdate>) {
    super(attributes);
  }
}

/**
 * A fragment of a tool call. OpenAI-style services send `index` on every fragment and `id`, `type`
 * and the name on the first; others send a whole call without `index` or `type`.
 */
export class StreamingChatResponseToolCallUpdate extends Model {
  declare id: string | null | undefined;
  declare index: number | null | undefined;
  declare type: string | null | undefined;
  declare function: FunctionCall;
  constructor(attributes?: Attributes<StreamingChatResponseToolCallUpdate>) {
    super(attributes);
  }
}

defineModel(StreamingChatCompletionsUpdate, {
  id: field.value(),
  created: field.date(),
  model: field.value(),
  choices: field.list(() => StreamingChatChoiceUpdate),
  usage: field.model(() => CompletionsUsage),
});
defineModel(StreamingChatChoiceUpdate, {
  index: field.value(),
  finishReason: field.value(),
  delta: field.model(() => StreamingChatResponseMessageUpdate),
});
defineModel(StreamingChatResponseMessageUpdate, {
  role: field.value(),
  content: field.value(),
  toolCalls: field.list(() => StreamingChatResponseToolCallUpdate),
  reasoningContent: field.value(),
});
defineModel(StreamingChatResponseToolCallUpdate, {
  id: field.value(),
  index: field.value(),
  type: field.value(),
  function: field.model(() => FunctionCall),
});
