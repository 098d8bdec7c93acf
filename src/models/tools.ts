// Tool definitions and tool choice (M8). `type` is always "function" in the attribute form (M2.5).
import { type Attributes, Model } from "./model.js";
import { defineModel, field } from "./define-model.js";

/** A function the model may call. */
export class ChatCompletionsToolDefinition extends Model {
  declare type: "function" | (string & {});
  declare function: FunctionDefinition;
  constructor(attributes?: Attributes<ChatCompletionsToolDefinition>) {
    super(attributes);
  }
}

/** A function's name, description, and parameters as a JSON Schema object. */
export class FunctionDefinition extends Model {
  declare name: string;
  declare description: string | null | undefined;
  /** A JSON Schema object, returned by reference: changing it changes the model. */
  declare parameters: Record<string, unknown> | null | undefined;
  constructor(attributes?: Attributes<FunctionDefinition>) {
    super(attributes);
  }
}

/** Forces the model to call one named function. */
export class ChatCompletionsNamedToolChoice extends Model {
  declare type: "function" | (string & {});
  declare function: ChatCompletionsNamedToolChoiceFunction;
  constructor(attributes?: Attributes<ChatCompletionsNamedToolChoice>) {
    super(attributes);
  }
}

/** The function a named tool choice forces. */
export class ChatCompletionsNamedToolChoiceFunction extends Model {
  declare name: string;
  constructor(attributes?: Attributes<ChatCompletionsNamedToolChoiceFunction>) {
    super(attributes);
  }
}

defineModel(
  ChatCompletionsToolDefinition,
  { type: field.value(), function: field.model(() => FunctionDefinition) },
  { fixed: { key: "type", value: "function" } },
);
defineModel(FunctionDefinition, {
  name: field.value(),
  description: field.value(),
  parameters: field.value(),
});
defineModel(
  ChatCompletionsNamedToolChoice,
  { type: field.value(), function: field.model(() => ChatCompletionsNamedToolChoiceFunction) },
  { fixed: { key: "type", value: "function" } },
);
defineModel(ChatCompletionsNamedToolChoiceFunction, { name: field.value() });
