// Loads a Prompty file (T2): reads it, parses the front matter, resolves `${env:}` and `${file:}`,
// checks the fields, merges `prompty.json` and then the `base` chain under it.
import { isPlainObject } from "../../models/wire-values.js";
import { parentDirectory, readTextFile, readTextFileIfExists, resolveFrom } from "#platform/prompt-files";
import { parseFrontMatter } from "./front-matter.js";
import { inheritFrom, mergeUnder } from "./inheritance.js";
import { PromptTemplateError } from "./prompt-template-error.js";
import type { PromptTemplateErrorLocation } from "./prompt-template-error.js";
import { checkTopLevelKeys, readPrompty } from "./prompty-schema.js";
import type { PromptyDraft } from "./prompty-schema.js";
import { substitute } from "./substitution.js";
import type { PromptEnvironment } from "./substitution.js";
import type { Prompty } from "./types.js";

/** A loaded file and the line its template starts on (for Mustache errors). */
export interface LoadedPrompty {
  prompty: Prompty;
  bodyLine: number;
}

/** The configuration `prompty.json` files give: the reference's only one is `default`. */
const CONFIGURATION_NAME = "default";

/** Loads the Prompty file at the absolute `file`, its `prompty.json` and its base chain. */
export async function loadPrompty(file: string, env: PromptEnvironment): Promise<LoadedPrompty> {
  const { draft, bodyLine } = await loadDraft(file, env, [], {});
  return { prompty: finish(draft), bodyLine };
}

/** `chain` lists the files whose base is being loaded; `includedBy` names the `base:` line that led here. */
async function loadDraft(
  file: string,
  env: PromptEnvironment,
  chain: readonly string[],
  includedBy: PromptTemplateErrorLocation,
): Promise<{ draft: PromptyDraft; bodyLine: number }> {
  let text: string;
  try {
    text = await readTextFile(file);
  } catch (cause) {
    const location = includedBy.file ? includedBy : { file };
    throw new PromptTemplateError(`cannot read ${file} (${(cause as Error).message})`, {
      ...location,
      cause,
    });
  }

  const front = await parseFrontMatter(text, file);
  checkTopLevelKeys(front, file);
  const dir = parentDirectory(file);
  const attributes = (await substitute(front.attributes, { file, dir, env, lineOf: front.lineOf })) as Record<
    string,
    unknown
  >;
  let draft = readPrompty(attributes, front, file);

  const defaults = await loadConfigurationDefaults(dir, env);
  draft.model.configuration = mergeUnder(draft.model.configuration, defaults);

  if (draft.base) {
    const baseFile = resolveFrom(dir, draft.base);
    const location = { file, line: front.lineOf(["base"]), key: "base" };
    if (baseFile === file || chain.includes(baseFile)) {
      throw new PromptTemplateError(
        `${baseFile} is already being loaded: a base cannot include itself`,
        location,
      );
    }
    const base = await loadDraft(baseFile, env, [...chain, file], location);
    draft = { ...inheritFrom(draft, base.draft), basePrompty: finish(base.draft) };
  }
  return { draft, bodyLine: front.bodyLine };
}

/** `default` of the `prompty.json` beside the file, substituted; `{}` when there is no such file. */
async function loadConfigurationDefaults(
  dir: string,
  env: PromptEnvironment,
): Promise<Record<string, unknown>> {
  const file = resolveFrom(dir, "prompty.json");
  let text: string | undefined;
  try {
    text = await readTextFileIfExists(file);
  } catch (cause) {
    throw new PromptTemplateError(`cannot read ${file} (${(cause as Error).message})`, { file, cause });
  }
  if (text === undefined) return {};

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new PromptTemplateError(`not valid JSON (${(cause as Error).message})`, { file, cause });
  }
  if (!isPlainObject(parsed)) throw new PromptTemplateError("must hold a JSON object", { file });
  const defaults = Object.prototype.hasOwnProperty.call(parsed, CONFIGURATION_NAME)
    ? parsed[CONFIGURATION_NAME]
    : undefined;
  if (!isPlainObject(defaults)) {
    throw new PromptTemplateError(`must hold a "${CONFIGURATION_NAME}" object (the configuration it gives)`, {
      file,
      key: CONFIGURATION_NAME,
    });
  }
  return (await substitute(defaults, { file, dir, env }, [CONFIGURATION_NAME])) as Record<string, unknown>;
}

/** The draft made final: `chat` when no file in the chain names an API. */
function finish(draft: PromptyDraft): Prompty {
  return { ...draft, model: { ...draft.model, api: draft.model.api ?? "chat" } };
}
