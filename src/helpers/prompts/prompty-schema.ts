// Checks a Prompty file's front matter field by field (T2.1) and builds the typed `Prompty` from it.
// Unknown keys and wrong shapes are errors naming the file, the key and its line.
import { isPlainObject, putKey } from "../../models/wire-values.js";
import { formatKeyPath } from "./front-matter.js";
import type { FrontMatter, KeyPath } from "./front-matter.js";
import { PromptTemplateError } from "./prompt-template-error.js";
import type {
  Prompty,
  PromptyApi,
  PromptyProperty,
  PromptyPropertyType,
  PromptyTemplateSettings,
} from "./types.js";

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

/** The types an input or output may declare (the reference's `PropertySettings.type`). */
export const PROPERTY_TYPES: readonly PromptyPropertyType[] = [
  "string",
  "number",
  "boolean",
  "array",
  "object",
];

/** The renderers: Mustache, or `NOOP` (the template is used as written). */
const RENDERERS = new Set(["mustache", "NOOP"]);

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
    inputs: properties(["inputs"], mapping(["inputs"], attributes.inputs), fail),
    outputs: properties(["outputs"], mapping(["outputs"], attributes.outputs), fail),
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
  if (typeof type !== "string" || !RENDERERS.has(type)) {
    throw fail(
      typePath,
      `renderer ${JSON.stringify(type)} is not supported: only mustache and NOOP (no rendering) are`,
    );
  }
  if (parser !== "prompty") {
    throw fail(["template", "parser"], `parser ${JSON.stringify(parser)} is not supported: only prompty is`);
  }
  return { type, parser };
}

/**
 * `inputs` or `outputs`: each entry a mapping with a `type` (T2.1, as the reference's
 * `PropertySettings` demands), an optional `default` of that type and `description`. The shorthand
 * `name: string`, or an entry without `type`, is an error naming it. Other keys are kept, unchecked.
 */
function properties(
  path: KeyPath,
  entries: Record<string, unknown>,
  fail: (path: KeyPath, message: string) => PromptTemplateError,
): Record<string, PromptyProperty> {
  const out: Record<string, PromptyProperty> = {};
  for (const [name, entry] of Object.entries(entries)) {
    const where = [...path, name];
    const types = PROPERTY_TYPES.join(", ");
    if (!isPlainObject(entry)) {
      throw fail(
        where,
        `must be a mapping with a \`type\` (${types}), as in \`${name}: { type: string }\`; ` +
          `the shorthand \`${name}: ${String(entry)}\` is not Prompty`,
      );
    }
    if (entry.type === undefined || entry.type === null) {
      throw fail(where, `has no \`type\`: declare one of ${types}`);
    }
    if (!PROPERTY_TYPES.includes(entry.type as PromptyPropertyType)) {
      throw fail([...where, "type"], `must be one of ${types}, not ${JSON.stringify(entry.type)}`);
    }
    const type = entry.type as PromptyPropertyType;
    if (entry.default !== undefined && entry.default !== null && !isOfType(entry.default, type)) {
      throw fail(
        [...where, "default"],
        `must be ${article(type)} (the declared type), not ${describe(entry.default)}`,
      );
    }
    if (
      entry.description !== undefined &&
      entry.description !== null &&
      typeof entry.description !== "string"
    ) {
      throw fail([...where, "description"], "must be text");
    }
    const property: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) putKey(property, key, value);
    property.description = typeof entry.description === "string" ? entry.description : "";
    putKey(out, name, property as PromptyProperty);
  }
  return out;
}

/** Whether `value` is of a declared input type: JSON's types, `object` for a mapping only. */
export function isOfType(value: unknown, type: PromptyPropertyType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
}

/** `a string`, `an array`. */
export function article(type: PromptyPropertyType): string {
  return `${type === "array" || type === "object" ? "an" : "a"} ${type}`;
}

/** What a value is, for messages: `the number 3`, `an array`, `a string`. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "boolean") return `${value}`;
  if (typeof value === "object") return "an object";
  return `${typeof value === "undefined" ? "undefined" : article(typeof value as PromptyPropertyType)}`;
}
