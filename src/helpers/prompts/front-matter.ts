// Splits a Prompty file into its YAML front matter and its template body (T2.1), parses the YAML
// with the `yaml` library, and keeps the node positions so that later errors can name a line.
import type * as Yaml from "yaml";
import type { Document, Node } from "yaml";
import { PromptTemplateError } from "./prompt-template-error.js";

/** A key path into the front matter: map keys and list indices. */
export type KeyPath = readonly (string | number)[];

/** A parsed Prompty file. */
export interface FrontMatter {
  /** The front matter as plain values (`{}` when the file has none). */
  attributes: Record<string, unknown>;
  /** The template: everything after the closing `---` (or `+++`) line. */
  body: string;
  /** The 1-based line of the file where the body starts. */
  bodyLine: number;
  /** The file line of the deepest node on `path` (its key for map entries), if the YAML has one. */
  lineOf(path: KeyPath): number | undefined;
  /** The source text of a plain scalar at `path` (`1.0` stays `1.0`), for fields that are text. */
  sourceOf(path: KeyPath): string | undefined;
}

/** `---` or, as Prompty also takes, `+++`; the closing fence is the opening one. */
const FENCE = /^(---|\+\+\+)[ \t]*\r?$/;

// Loaded on first use: `yaml` is most of this module's import cost, and fromString never needs it.
let yamlModule: Promise<typeof Yaml> | undefined;
const loadYaml = () => (yamlModule ??= import("yaml"));

/** Parses `text`, the content of `file` (named in errors). */
export async function parseFrontMatter(text: string, file: string): Promise<FrontMatter> {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstBreak = text.indexOf("\n");
  const firstLine = firstBreak === -1 ? text : text.slice(0, firstBreak);
  const opening = FENCE.exec(firstLine);
  if (opening === null) {
    // No front matter: the whole file is the template (the reference would crash here).
    return { attributes: {}, body: text, bodyLine: 1, lineOf: () => undefined, sourceOf: () => undefined };
  }

  // Find the closing fence: the next line that is `---` alone.
  let lineStart = firstBreak + 1;
  for (let line = 2; firstBreak !== -1 && lineStart <= text.length; line++) {
    const lineEnd = text.indexOf("\n", lineStart);
    const current = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
    if (FENCE.exec(current)?.[1] === opening[1]) {
      const yamlText = text.slice(firstBreak + 1, lineStart);
      const body = lineEnd === -1 ? "" : text.slice(lineEnd + 1);
      return parseYaml(await loadYaml(), yamlText, body, line + 1, file);
    }
    lineStart = lineEnd === -1 ? text.length + 1 : lineEnd + 1;
  }
  throw new PromptTemplateError(
    `the front matter opened by \`${opening[1]}\` on line 1 is never closed by a \`${opening[1]}\` line`,
    {
      file,
      line: 1,
    },
  );
}

function parseYaml(
  yaml: typeof Yaml,
  yamlText: string,
  body: string,
  bodyLine: number,
  file: string,
): FrontMatter {
  const lineCounter = new yaml.LineCounter();
  // YAML 1.2 (the `yaml` default), with `<<` merge keys as PyYAML reads them.
  const doc = yaml.parseDocument(yamlText, {
    lineCounter,
    merge: true,
    uniqueKeys: true,
    prettyErrors: true,
  });
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1; // +1: the opening fence

  const [error] = doc.errors;
  if (error) {
    const line = error.linePos ? error.linePos[0].line + 1 : 2;
    const message = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new PromptTemplateError(`invalid YAML front matter: ${message}`, { file, line, cause: error });
  }

  let attributes: unknown;
  try {
    attributes = doc.toJS({ maxAliasCount: 100 });
  } catch (cause) {
    throw new PromptTemplateError(`invalid YAML front matter: ${(cause as Error).message}`, {
      file,
      line: 2,
      cause,
    });
  }
  if (attributes == null) attributes = {};
  if (typeof attributes !== "object" || Array.isArray(attributes)) {
    throw new PromptTemplateError("the front matter must be a YAML mapping (`key: value` lines)", {
      file,
      line: 2,
    });
  }

  return {
    attributes: attributes as Record<string, unknown>,
    body,
    bodyLine,
    lineOf(path) {
      const found = walk(yaml, doc, path);
      return found?.range ? fileLine(found.range[0]) : undefined;
    },
    sourceOf(path) {
      const found = walk(yaml, doc, path, true);
      return found && yaml.isScalar(found) && typeof found.source === "string" ? found.source : undefined;
    },
  };
}

/** The deepest node on `path`: the key node of the last map entry, or its value when `wantValue`. */
function walk(yaml: typeof Yaml, doc: Document, path: KeyPath, wantValue = false): Node | undefined {
  let node: unknown = doc.contents;
  let deepest: Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (yaml.isMap(node)) {
      const pair = node.items.find(
        (item) => yaml.isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) return wantValue ? undefined : deepest;
      if (last && wantValue) return (pair.value as Node | null) ?? undefined;
      deepest = pair.key as Node;
      node = pair.value;
    } else if (yaml.isSeq(node) && typeof segment === "number") {
      const item = node.items[segment] as Node | undefined;
      if (!item) return wantValue ? undefined : deepest;
      deepest = item;
      node = item;
    } else {
      return wantValue ? undefined : deepest;
    }
  }
  return deepest;
}

/** `model.parameters.stop[1]`: how errors name a key path. */
export function formatKeyPath(path: KeyPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out ? `.${segment}` : segment;
  }
  return out;
}
