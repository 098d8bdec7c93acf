// Request messages (M8), chosen by `role` when built from wire data (M4.4). Like the reference,
// they take their content positionally: `new UserMessage("hi")`, `new ToolMessage("42", { toolCallId })`.
import { type AttributeInput, type Attributes, Model } from "./model.js";
import { defineModel, field } from "./define-model.js";
import { isPlainObject } from "./wire-values.js";
import type { ChatRole } from "./enums.js";
import { ContentItem } from "./content-items.js";
import { ChatCompletionsToolCall } from "./chat-completions.js";

/**
 * A message of a chat request. Built from wire data it becomes the subclass its `role` names;
 * an unknown or missing `role` gives a `ChatRequestMessage` with every key kept.
 */
export class ChatRequestMessage extends Model {
  declare role: ChatRole;
  constructor(attributes?: Attributes<ChatRequestMessage>) {
    super(attributes);
  }
}

/** Instructions for the model (`role: "system"`). */
export class SystemMessage extends ChatRequestMessage {
  declare content: string;
  constructor(content?: string | Attributes<SystemMessage>, attributes?: Attributes<SystemMessage>) {
    super(withPositionalContent(content, attributes));
  }
}

/** Instructions for reasoning models that take them from the developer role (`role: "developer"`). */
export class DeveloperMessage extends ChatRequestMessage {
  declare content: string;
  constructor(content?: string | Attributes<DeveloperMessage>, attributes?: Attributes<DeveloperMessage>) {
    super(withPositionalContent(content, attributes));
  }
}

/** The user's input: text, or a list of content items (text, images, audio). */
export class UserMessage extends ChatRequestMessage {
  constructor(
    content?: string | Attributes<UserMessage>["content"] | Attributes<UserMessage>,
    attributes?: Attributes<UserMessage>,
  ) {
    super(withPositionalContent(content, attributes));
  }
}

// The typed view's fields whose setters take more than their getters return (see chat-completions.ts).
export interface UserMessage {
  get content(): string | ContentItem[];
  set content(value: AttributeInput<string | ContentItem[]> | undefined);
}

/** An earlier answer of the model, echoed back in a multi-turn conversation. */
export class AssistantMessage extends ChatRequestMessage {
  declare content: string | null | undefined;
  constructor(
    content?: string | null | Attributes<AssistantMessage>,
    attributes?: Attributes<AssistantMessage>,
  ) {
    super(withPositionalContent(content, attributes));
  }
}

export interface AssistantMessage {
  get toolCalls(): ChatCompletionsToolCall[] | null | undefined;
  set toolCalls(value: AttributeInput<ChatCompletionsToolCall[]> | null | undefined);
}

/** The result of a tool call, sent back to the model. */
export class ToolMessage extends ChatRequestMessage {
  declare toolCallId: string;
  declare content: string | null | undefined;
  constructor(content?: string | null | Attributes<ToolMessage>, attributes?: Attributes<ToolMessage>) {
    super(withPositionalContent(content, attributes));
  }
}

/** Merges positional content into the attributes, as the reference does (M2.6). */
function withPositionalContent(content: unknown, attributes: object | undefined): object | undefined {
  if (isPlainObject(content)) {
    if (attributes !== undefined) {
      throw new TypeError(
        "Pass the content positionally and the other attributes second, or one attributes object.",
      );
    }
    return content;
  }
  if (content === undefined) return attributes;
  if (attributes !== undefined && (attributes as { content?: unknown }).content !== undefined) {
    throw new TypeError("content cannot be provided as positional and keyword arguments");
  }
  return { content, ...attributes };
}

defineModel(ChatRequestMessage, { role: field.value() }, { discriminator: "role" });
defineModel(SystemMessage, { content: field.value() }, { fixed: { key: "role", value: "system" } });
defineModel(DeveloperMessage, { content: field.value() }, { fixed: { key: "role", value: "developer" } });
defineModel(
  UserMessage,
  { content: field.content(() => ContentItem) },
  { fixed: { key: "role", value: "user" } },
);
defineModel(
  AssistantMessage,
  { content: field.value(), toolCalls: field.list(() => ChatCompletionsToolCall) },
  { fixed: { key: "role", value: "assistant" } },
);
defineModel(
  ToolMessage,
  { toolCallId: field.value(), content: field.value() },
  { fixed: { key: "role", value: "tool" } },
);
