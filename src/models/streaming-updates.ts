// The streaming side (M8): one update per server-sent event of a streamed chat completion.
import { type AttributeInput, type Attributes, Model } from "./model.js";
import { defineModel, field } from "./define-model.js";
import type { ChatRole, CompletionsFinishReason } from "./enums.js";
import { CompletionsUsage, FunctionCall } from "./chat-completions.js";

/**
 * One chunk of a streamed chat completion. Chunks without choices are real (Azure OpenAI's first
 * chunk carries only `prompt_filter_results`; the usage-only last chunk has `choices: []` or none)
 * and are delivered like any other, so `choices` and each choice's `delta` are optional: read the
 * text with `update.text`, which is always a string.
 * @example
 * for await (const update of stream) process.stdout.write(update.text);
 * for await (const update of stream) for (const choice of update.choices ?? []) use(choice.delta?.content);
 */
export class StreamingChatCompletionsUpdate extends Model {
  declare id: string;
  declare model: string;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    id: field.value(),
    created: field.date(),
    model: field.value(),
    choices: field.list(() => StreamingChatChoiceUpdate),
    usage: field.model(() => CompletionsUsage),
  }));
  constructor(attributes?: Attributes<StreamingChatCompletionsUpdate>) {
    super(attributes);
  }

  /**
   * The content text this update adds to choice 0 (the first answer), or `""` when it adds none:
   * no choices, no `delta`, no or `null` content. Never throws, whatever the chunk's shape. For
   * other choices (`n > 1`), read `choices` and group by `index`.
   */
  get text(): string {
    const choices: unknown = this.choices;
    if (!Array.isArray(choices)) return "";
    let text = "";
    for (const choice of choices) {
      if (!(choice instanceof StreamingChatChoiceUpdate) || (choice.index ?? 0) !== 0) continue;
      const delta: unknown = choice.delta;
      if (!(delta instanceof StreamingChatResponseMessageUpdate)) continue;
      const content: unknown = delta.content;
      if (typeof content === "string") text += content;
    }
    return text;
  }
}

// The typed view's fields whose setters take more than their getters return (see chat-completions.ts).
export interface StreamingChatCompletionsUpdate {
  /** Seconds since the Unix epoch on the wire, a `Date` here; set a `Date` or seconds. */
  get created(): Date;
  set created(value: AttributeInput<Date> | undefined);
  /** Absent or empty on chunks that carry no choice (the first on Azure OpenAI, the usage chunk). */
  get choices(): StreamingChatChoiceUpdate[] | null | undefined;
  set choices(value: AttributeInput<StreamingChatChoiceUpdate[]> | null | undefined);
  get usage(): CompletionsUsage | null | undefined;
  set usage(value: AttributeInput<CompletionsUsage> | null | undefined);
}

/** The part of one choice that a chunk carries. */
export class StreamingChatChoiceUpdate extends Model {
  declare index: number;
  declare finishReason: CompletionsFinishReason | null;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    index: field.value(),
    finishReason: field.value(),
    delta: field.model(() => StreamingChatResponseMessageUpdate),
  }));
  constructor(attributes?: Attributes<StreamingChatChoiceUpdate>) {
    super(attributes);
  }
}

export interface StreamingChatChoiceUpdate {
  /** Absent on some services' last chunk of a choice (only its `finish_reason`). */
  get delta(): StreamingChatResponseMessageUpdate | null | undefined;
  set delta(value: AttributeInput<StreamingChatResponseMessageUpdate> | null | undefined);
}

/** The new part of the assistant's message. */
export class StreamingChatResponseMessageUpdate extends Model {
  declare role: ChatRole | null | undefined;
  declare content: string | null | undefined;
  declare reasoningContent: string | null | undefined;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    role: field.value(),
    content: field.value(),
    toolCalls: field.list(() => StreamingChatResponseToolCallUpdate),
    reasoningContent: field.value(),
  }));
  constructor(attributes?: Attributes<StreamingChatResponseMessageUpdate>) {
    super(attributes);
  }
}

export interface StreamingChatResponseMessageUpdate {
  get toolCalls(): StreamingChatResponseToolCallUpdate[] | null | undefined;
  set toolCalls(value: AttributeInput<StreamingChatResponseToolCallUpdate[]> | null | undefined);
}

/**
 * A fragment of a tool call. OpenAI-style services send `index` on every fragment and `id`, `type`
 * and the name on the first; others send a whole call without `index` or `type`.
 */
export class StreamingChatResponseToolCallUpdate extends Model {
  declare id: string | null | undefined;
  declare index: number | null | undefined;
  declare type: string | null | undefined;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    id: field.value(),
    index: field.value(),
    type: field.value(),
    function: field.model(() => FunctionCall),
  }));
  constructor(attributes?: Attributes<StreamingChatResponseToolCallUpdate>) {
    super(attributes);
  }
}

export interface StreamingChatResponseToolCallUpdate {
  get function(): FunctionCall;
  set function(value: AttributeInput<FunctionCall> | undefined);
}
