/**
 * ai-inference/prompts: prompt templates from strings and Prompty files (spec T1–T6). Its own
 * subpath, so that importing the SDK entry never loads YAML or Mustache.
 * @module
 */
export { PromptTemplate } from "./prompt-template.js";
export type { PromptTemplateFromPromptyOptions, PromptTemplateFromStringOptions } from "./prompt-template.js";
export { PromptTemplateError, isPromptTemplateError } from "./prompt-template-error.js";
export type { PromptTemplateErrorLocation } from "./prompt-template-error.js";
export type { PromptEnvironment } from "./substitution.js";
export type {
  PromptContentItem,
  PromptMessage,
  PromptParameters,
  PromptRole,
  Prompty,
  PromptyApi,
  PromptyModel,
  PromptyProperty,
  PromptyPropertyType,
  PromptyTemplateSettings,
} from "./types.js";
