// Tool definitions and tool choice (M8). `type` is always "function" in the attribute form (M2.5).
import { type AttributeInput, type Attributes, Model } from "./model.js";
import { defineModel, field } from "./define-model.js";

/** A function the model may call. */
export class ChatCompletionsToolDefinition extends Model {
  declare type: "function" | (string & {});
  static #defined = /* @__PURE__ */ defineModel(
    this,
    () => ({ type: field.value(), function: field.model(() => FunctionDefinition) }),
    { fixed: { key: "type", value: "function" } },
  );
  constructor(attributes?: Attributes<ChatCompletionsToolDefinition>) {
    super(attributes);
  }
}

// The typed view's fields whose setters take more than their getters return (see chat-completions.ts).
export interface ChatCompletionsToolDefinition {
  get function(): FunctionDefinition;
  set function(value: AttributeInput<FunctionDefinition> | undefined);
}

/** A function's name, description, and parameters as a JSON Schema object. */
export class FunctionDefinition extends Model {
  declare name: string;
  declare description: string | null | undefined;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({
    name: field.value(),
    description: field.value(),
    parameters: field.value(),
  }));
  constructor(attributes?: Attributes<FunctionDefinition>) {
    super(attributes);
  }
}

export interface FunctionDefinition {
  /** A JSON Schema object, returned by reference: changing it changes the model. */
  get parameters(): Record<string, unknown> | null | undefined;
  set parameters(value: AttributeInput<Record<string, unknown>> | null | undefined);
}

/** Forces the model to call one named function. */
export class ChatCompletionsNamedToolChoice extends Model {
  declare type: "function" | (string & {});
  static #defined = /* @__PURE__ */ defineModel(
    this,
    () => ({ type: field.value(), function: field.model(() => ChatCompletionsNamedToolChoiceFunction) }),
    { fixed: { key: "type", value: "function" } },
  );
  constructor(attributes?: Attributes<ChatCompletionsNamedToolChoice>) {
    super(attributes);
  }
}

export interface ChatCompletionsNamedToolChoice {
  get function(): ChatCompletionsNamedToolChoiceFunction;
  set function(value: AttributeInput<ChatCompletionsNamedToolChoiceFunction> | undefined);
}

/** The function a named tool choice forces. */
export class ChatCompletionsNamedToolChoiceFunction extends Model {
  declare name: string;
  static #defined = /* @__PURE__ */ defineModel(this, () => ({ name: field.value() }));
  constructor(attributes?: Attributes<ChatCompletionsNamedToolChoiceFunction>) {
    super(attributes);
  }
}
