// Checks a Prompty file's front matter field by field (T2.1) and builds the typed `Prompty` from it.
// Unknown keys and wrong shapes are errors naming the file, the key and its line.
import { isPlainObject } from "../../models/wire-values.js";
import { formatKeyPath } from "./front-matter.js";
import type { FrontMatter, KeyPath } from "./front-matter.js";
import { PromptTemplateError } from "./prompt-template-error.js";
import type { Prompty, PromptyApi, PromptyTemplateSettings } from "./types.js";

/** A Prompty before its base is merged: `api` stays unset when the file does not say. */
export type PromptyDraft = Omit<Prompty, "model"> & {
  model: Omit<Prompty["model"], "api"> & { api: PromptyApi | undefined };
};

const TOP_LEVEL_KEYS = new Set([
  "name",
  "description",
  "authors",
  "tags",
  "version",
  "base",
  "model",
  "sample",
  "inputs",
  "outputs",
  "template",
]);
const MODEL_KEYS = new Set(["api", "configuration", "parameters", "response"]);
const TEMPLATE_KEYS = new Set(["type", "parser"]);

/** The `model.api` values, in the order errors list them. */
export const PROMPTY_APIS: readonly PromptyApi[] = ["chat", "completion", "embedding", "image"];

/** Throws on a top-level key the format does not have. Runs on the raw YAML, before substitution. */
export function checkTopLevelKeys(front: FrontMatter, file: string): void {
  for (const key of Object.keys(front.attributes)) {
    if (!TOP_LEVEL_KEYS.has(key)) {
      throw new PromptTemplateError(`unknown key (known: ${[...TOP_LEVEL_KEYS].join(", ")})`, {
        file,
        line: front.lineOf([key]),
        key,
      });
    }
  }
}

/** Builds the draft from substituted `attributes`; `front` gives lines and source text. */
export function readPrompty(
  attributes: Record<string, unknown>,
  front: FrontMatter,
  file: string,
): PromptyDraft {
  const fail = (path: KeyPath, message: string) =>
    new PromptTemplateError(message, { file, line: front.lineOf(path), key: formatKeyPath(path) });

  const text = (path: KeyPath, value: unknown): string => {
    if (value === undefined || value === null) return "";
    if (typeof value === "string") return value;
    // `version: 1.0` is text in a Prompty file: keep what was written, not the number 1.
    if (typeof value === "number" || typeof value === "boolean") return front.sourceOf(path) ?? String(value);
    throw fail(path, "must be text");
  };
  const textList = (path: KeyPath, value: unknown): string[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw fail(path, "must be a list of text");
    return value.map((item, i) => text([...path, i], item));
  };
  const mapping = (path: KeyPath, value: unknown): Record<string, unknown> => {
    if (value === undefined || value === null) return {};
    if (!isPlainObject(value)) throw fail(path, "must be a mapping (`key: value` lines)");
    return value;
  };
  const onlyKeys = (path: KeyPath, value: Record<string, unknown>, known: Set<string>) => {
    for (const key of Object.keys(value)) {
      if (!known.has(key)) throw fail([...path, key], `unknown key (known: ${[...known].join(", ")})`);
    }
  };

  const model = mapping(["model"], attributes.model);
  onlyKeys(["model"], model, MODEL_KEYS);
  let api: PromptyApi | undefined;
  if (model.api !== undefined && model.api !== null) {
    if (!PROMPTY_APIS.includes(model.api as PromptyApi)) {
      throw fail(
        ["model", "api"],
        `must be one of ${PROMPTY_APIS.join(", ")}, not ${JSON.stringify(model.api)}`,
      );
    }
    api = model.api as PromptyApi;
  }

  const parameters = mapping(["model", "parameters"], model.parameters);
  if (Object.prototype.hasOwnProperty.call(parameters, "messages")) {
    throw fail(
      ["model", "parameters", "messages"],
      "messages come from the template, not from the parameters",
    );
  }

  return {
    name: text(["name"], attributes.name),
    description: text(["description"], attributes.description),
    authors: textList(["authors"], attributes.authors),
    tags: textList(["tags"], attributes.tags),
    version: text(["version"], attributes.version),
    base: text(["base"], attributes.base),
    basePrompty: undefined,
    model: {
      api,
      configuration: mapping(["model", "configuration"], model.configuration),
      parameters,
      response: mapping(["model", "response"], model.response),
    },
    sample: mapping(["sample"], attributes.sample),
    inputs: mapping(["inputs"], attributes.inputs),
    outputs: mapping(["outputs"], attributes.outputs),
    template: readTemplateSettings(attributes.template, fail, onlyKeys),
    file,
    content: front.body,
  };
}

function readTemplateSettings(
  value: unknown,
  fail: (path: KeyPath, message: string) => PromptTemplateError,
  onlyKeys: (path: KeyPath, value: Record<string, unknown>, known: Set<string>) => void,
): PromptyTemplateSettings {
  let type: unknown = "mustache";
  let parser: unknown = "prompty";
  if (typeof value === "string") {
    type = value;
  } else if (isPlainObject(value)) {
    onlyKeys(["template"], value, TEMPLATE_KEYS);
    type = value.type ?? type;
    parser = value.parser ?? parser;
  } else if (value !== undefined && value !== null) {
    throw fail(["template"], "must be a renderer name or a mapping with `type` and `parser`");
  }
  const typePath = isPlainObject(value) ? ["template", "type"] : ["template"];
  if (type !== "mustache") {
    throw fail(typePath, `renderer ${JSON.stringify(type)} is not supported: only mustache is`);
  }
  if (parser !== "prompty") {
    throw fail(["template", "parser"], `parser ${JSON.stringify(parser)} is not supported: only prompty is`);
  }
  return { type, parser };
}
