// `${env:NAME}`, `${env:NAME:default}` and `${file:relative.json}` in front matter values (T2.2).
// Only a string that is exactly one of these forms is replaced; any other `${...}` string is an
// error, so that a typo cannot reach the service as a literal.
import type { EnvironmentVariables } from "../../internal/environment.js";
import { putKey } from "../../models/wire-values.js";
import { readTextFile, resolveFrom } from "#platform/prompt-files";
import { formatKeyPath } from "./front-matter.js";
import type { KeyPath } from "./front-matter.js";
import { PromptTemplateError } from "./prompt-template-error.js";

/** Environment variables by name, as `process.env` holds them (the type tracing's `env` takes too). */
export type PromptEnvironment = EnvironmentVariables;

/** Where the values being substituted come from. */
export interface SubstitutionSource {
  /** The file holding the values, named in errors. */
  file: string;
  /** The folder `${file:}` paths are relative to: the Prompty file's own. */
  dir: string;
  env: PromptEnvironment;
  /** The file line of a key, when the values come from YAML. */
  lineOf?: (path: KeyPath) => number | undefined;
}

/** `value` with every `${env:}` and `${file:}` string replaced, at any depth. */
export async function substitute(
  value: unknown,
  source: SubstitutionSource,
  path: KeyPath = [],
  openFiles: ReadonlySet<string> = new Set(),
): Promise<unknown> {
  if (typeof value === "string") return substituteString(value, source, path, openFiles);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++)
      out.push(await substitute(value[i], source, [...path, i], openFiles));
    return out;
  }
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      putKey(out, key, await substitute(item, source, [...path, key], openFiles));
    }
    return out;
  }
  return value;
}

async function substituteString(
  text: string,
  source: SubstitutionSource,
  path: KeyPath,
  openFiles: ReadonlySet<string>,
): Promise<unknown> {
  // Strings are kept exactly as YAML gives them (the reference strips them: T6).
  if (!(text.startsWith("${") && text.endsWith("}"))) return text;
  const fail = (message: string, cause?: unknown) =>
    new PromptTemplateError(message, {
      file: source.file,
      line: source.lineOf?.(path),
      key: path.length > 0 ? formatKeyPath(path) : undefined,
      cause,
    });

  const inner = text.slice(2, -1);
  const colon = inner.indexOf(":");
  const kind = colon === -1 ? inner : inner.slice(0, colon);
  const rest = inner.slice(colon + 1);

  if (kind === "env" && colon !== -1) {
    // The default is everything after the second colon, so `${env:URL:http://h}` keeps its URL (T6).
    const second = rest.indexOf(":");
    const name = second === -1 ? rest : rest.slice(0, second);
    if (name === "") throw fail(`\`${text}\` names no environment variable`);
    const found = Object.prototype.hasOwnProperty.call(source.env, name) ? source.env[name] : undefined;
    if (found !== undefined) return found;
    if (second !== -1) return rest.slice(second + 1);
    throw fail(
      `environment variable ${name} is not set, and \`${text}\` gives no default (\`\${env:${name}:default}\`)`,
    );
  }

  if (kind === "file" && colon !== -1) {
    if (rest === "") throw fail(`\`${text}\` names no file`);
    const target = resolveFrom(source.dir, rest);
    if (openFiles.has(target))
      throw fail(`\`${text}\` includes itself (through ${[...openFiles].join(" → ")})`);
    let content: string;
    try {
      content = await readTextFile(target);
    } catch (cause) {
      throw fail(`cannot read ${target} (${(cause as Error).message})`, cause);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (cause) {
      throw new PromptTemplateError(
        `not valid JSON (${(cause as Error).message}), included by ${source.file}`,
        {
          file: target,
          cause,
        },
      );
    }
    // Values inside the JSON file are substituted too; their `${file:}` paths stay relative to
    // the Prompty file, as in the reference.
    return substitute(
      parsed,
      { file: target, dir: source.dir, env: source.env },
      [],
      new Set([...openFiles, target]),
    );
  }

  throw fail(
    `unsupported substitution \`${text}\`: use \${env:NAME}, \${env:NAME:default} or \${file:path.json}`,
  );
}
