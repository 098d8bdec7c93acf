// The assistant's message with the value parsed from its content (`parsed`). `parsed` is derived
// data, not a wire key: it lives on the instance beside the store, so the mapping view (`keys()`,
// `get()`, `asDict()`, `toJSON()`) and `equals()` see only what the service sent.
import { type ChatChoice, type ChatCompletions, ChatResponseMessage } from "../../models/chat-completions.js";
import type { Attributes } from "../../models/model.js";

/**
 * An assistant message whose content `parse()` parsed and validated. `parsed` is the schema's
 * output (with a validation library's defaults and transforms applied), or `null` when the choice
 * has no content because the model called tools instead.
 *
 * Outside the mapping view: `keys()`, `asDict()` and `JSON.stringify` show the wire message only, and
 * `equals()` compares wire forms (a parsed message equals its plain `ChatResponseMessage`). `copy()`
 * deep-copies the wire store and carries `parsed` over as the same value: it may hold whatever a
 * schema's transforms made (class instances, functions), which cannot be copied faithfully, so treat
 * it as read-only. `parsed` reflects the content at the time of parsing; `set("content", ...)` does
 * not re-parse.
 */
export class ParsedChatResponseMessage<T = unknown> extends ChatResponseMessage {
  #parsed: T | null = null;

  constructor(attributes?: Attributes<ChatResponseMessage>) {
    super(attributes);
  }

  /** The value parsed from `content`, or `null` when there is no content (tool calls instead). */
  get parsed(): T | null {
    return this.#parsed;
  }

  /** A parsed message with the wire data of `message` (copied) and `parsed`. */
  static of<T>(message: ChatResponseMessage, parsed: T | null): ParsedChatResponseMessage<T> {
    const result = ParsedChatResponseMessage.fromDict(message.asDict()) as ParsedChatResponseMessage<T>;
    result.#parsed = parsed;
    return result;
  }

  /** A deep copy of the wire store; `parsed` is carried over as the same value. */
  override copy(): this {
    const copied = super.copy();
    (copied as ParsedChatResponseMessage<T>).#parsed = this.#parsed;
    return copied;
  }
}

/** A choice whose message was parsed. */
export interface ParsedChatChoice<T> extends ChatChoice {
  message: ParsedChatResponseMessage<T>;
}

/** What `parse()` returns: a `ChatCompletions` whose every choice's message carries `parsed`. */
export interface ParsedChatCompletions<T> extends ChatCompletions {
  choices: ParsedChatChoice<T>[];
}
