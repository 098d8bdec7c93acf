// The public shapes of the prompts module: the parsed Prompty file, the messages it makes, and the
// request options it sets. Type aliases (not interfaces) so that messages fit `WireObject` lists.
import type { CompleteOptions } from "../../client/chat-completions-client.js";

/** The `model.api` values a Prompty file may name. Only `chat` makes messages. */
export type PromptyApi = "chat" | "completion" | "embedding" | "image";

/** The message roles a template can mark (T4.1): `developer` and `tool` are not markers. */
export type PromptRole = "system" | "user" | "assistant" | "function";

/** One piece of a message whose text holds markdown images (T4.4). */
export type PromptContentItem =
  { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

/** A chat message in wire form, ready for `complete({ messages })`. */
export type PromptMessage = {
  role: PromptRole;
  /** The text, or text pieces around images when the text held markdown images. */
  content: string | PromptContentItem[];
};

/**
 * The request options a Prompty file's `model.parameters` set, in typed names (T5): spread them
 * into `complete()`. Wire names that are not chat options (`top_k`, `safe_prompt`) sit in
 * `modelExtras`, unchanged. `stream` and its `includeUsage` are the calling code's to say.
 */
export type PromptParameters = Partial<
  Omit<CompleteOptions, "messages" | "stream" | "includeUsage" | "body">
>;

/** The types an input or output of a Prompty file may declare. */
export type PromptyPropertyType = "string" | "number" | "boolean" | "array" | "object";

/** One entry of `inputs` or `outputs` of a Prompty file, with the keys it had beside these. */
export type PromptyProperty = {
  type: PromptyPropertyType;
  /** An input's value when neither the data nor `sample` gives one. */
  default?: unknown;
  /** `""` when the file gives none. */
  description: string;
  [key: string]: unknown;
};

/** `model` of a Prompty file. */
export type PromptyModel = {
  api: PromptyApi;
  /** Where to send the request (`azure_deployment`, `type`, `api_version`...), `prompty.json` merged under. */
  configuration: Record<string, unknown>;
  /** The request parameters as written in the file (snake_case); see `PromptTemplate.parameters`. */
  parameters: Record<string, unknown>;
  response: Record<string, unknown>;
};

/**
 * `template` of a Prompty file: the renderer (`mustache`, or `NOOP`: the template is used as
 * written) and the parser (`prompty`: role markers make messages).
 */
export type PromptyTemplateSettings = { type: string; parser: string };

/** A loaded Prompty file: its front matter with `${env:}` and `${file:}` resolved, its base merged. */
export type Prompty = {
  name: string;
  description: string;
  authors: string[];
  tags: string[];
  version: string;
  /** The `base` file as written (relative to this file). */
  base: string;
  /** The loaded `base` file, when there is one. */
  basePrompty: Prompty | undefined;
  model: PromptyModel;
  /** Inputs filled in where `createMessages` data lacks them. */
  sample: Record<string, unknown>;
  /** The inputs the template takes: `createMessages` checks their types and applies their defaults. */
  inputs: Record<string, PromptyProperty>;
  /** What the answer holds, as declared (not checked: the answer is the caller's to read). */
  outputs: Record<string, PromptyProperty>;
  template: PromptyTemplateSettings;
  /** The absolute path of this file. */
  file: string;
  /** The template: everything after the front matter. */
  content: string;
};
