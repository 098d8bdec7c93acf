// Mustache rendering (T3) with mustache.js, plus one addition the reference lacks: the output
// remembers which characters came from the data (T6). Substituted values are wrapped in
// private-use sentinels while rendering, then the sentinels are turned into a per-character mask.
// The role-marker and image scanners read that mask, so a value can never forge template syntax.
import Mustache from "mustache";
import { PromptTemplateError } from "./prompt-template-error.js";

/** Where a character of the rendered text came from. */
export const Origin = {
  Template: 0,
  /** A value inserted as it is (`{{{name}}}`, `{{& name}}`, a lambda's output). */
  RawData: 1,
  /** A value inserted HTML-escaped (`{{name}}`): its text is the escaped form. */
  EscapedData: 2,
} as const;
type Origin = (typeof Origin)[keyof typeof Origin];

/** Rendered text and, per UTF-16 unit, its `Origin`: 0 for the template, non-zero for the data. */
export interface RenderedText {
  text: string;
  fromData: Uint8Array;
}

const RAW_START = "\uE000";
const DATA_END = "\uE001";
/** Marks the next character as a literal, so sentinels inside values or templates cannot forge a boundary. */
const LITERAL = "\uE002";
const ESCAPED_START = "\uE003";
const SPECIAL = /[\uE000-\uE003]/g;
const HAS_SPECIAL = /[\uE000-\uE003]/;
const HAS_HTML = /[&<>"]/;

/**
 * The reference's escaping (T3.1): `&`, `<`, `>`, `"`, but not `'` (mustache.js escapes more).
 * Four replacements by constant strings: several times faster than one with a callback on
 * megabyte values (bench/prompts.bench.ts).
 */
export function escapeHtml(text: string): string {
  if (!HAS_HTML.test(text)) return text;
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Undoes `escapeHtml` (its four entities only): what a `{{name}}` value was before escaping. */
export function unescapeHtml(text: string): string {
  if (!text.includes("&")) return text;
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

function protect(text: string): string {
  return HAS_SPECIAL.test(text) ? text.replace(SPECIAL, (c) => LITERAL + c) : text;
}

function asData(text: string, start = RAW_START): string {
  return start + protect(text) + DATA_END;
}

/**
 * Lambdas (functions in the data) are Mustache's higher-order sections: whatever they return,
 * template text included, counts as data.
 */
class ProvenanceContext extends Mustache.Context {
  override push(view: unknown): Mustache.Context {
    return new ProvenanceContext(view, this);
  }

  override lookup(name: string): unknown {
    const value: unknown = super.lookup(name);
    if (typeof value !== "function") return value;
    return function (this: unknown, text: string, render: (template: string) => string) {
      const out: unknown = value.call(this, text, render);
      return out == null ? out : asData(toRenderedText(String(out)).text);
    };
  }
}

/** Values print as JavaScript prints them (T3.5); `null` and `undefined` print nothing. */
class ProvenanceWriter extends Mustache.Writer {
  override rawValue(token: string[]): string {
    return protect(token[1]);
  }

  override escapedValue(token: string[], context: Mustache.Context): string {
    const value: unknown = context.lookup(token[1]);
    return value == null ? "" : asData(escapeHtml(String(value)), ESCAPED_START);
  }

  override unescapedValue(token: string[], context: Mustache.Context): string {
    const value: unknown = context.lookup(token[1]);
    return value == null ? "" : asData(String(value));
  }
}

/** Where a template comes from, for its syntax errors. */
export interface TemplateOrigin {
  /** The file holding the template, if any. */
  file?: string;
  /** The line of `file` (or of the caller's string) where the template starts. */
  firstLine: number;
}

/**
 * Parses `template` once (syntax errors name their line) and returns its renderer. Partials render
 * as nothing: none are ever given.
 */
export function compileTemplate(template: string, origin: TemplateOrigin): (view: object) => RenderedText {
  // One writer per template: its parse cache then holds this template alone.
  const writer = new ProvenanceWriter();
  try {
    writer.parse(template);
  } catch (error) {
    throw syntaxError(error as Error, template, origin);
  }
  return (view) => toRenderedText(writer.render(template, new ProvenanceContext(view, undefined), undefined));
}

/** The `NOOP` renderer: the template as written, every character the template's own. */
export function verbatim(template: string): (view: object) => RenderedText {
  const rendered = { text: template, fromData: new Uint8Array(template.length) };
  return () => rendered;
}

/** Turns the sentinels of a rendering into its mask. */
export function toRenderedText(marked: string): RenderedText {
  let text = "";
  // Triples: start, end, origin. The innermost value decides a character's origin.
  const dataRanges: number[] = [];
  const open: Origin[] = [];
  let last = 0;
  const append = (piece: string) => {
    if (piece === "") return;
    if (open.length > 0) dataRanges.push(text.length, text.length + piece.length, open[open.length - 1]);
    text += piece;
  };
  const special = new RegExp(SPECIAL.source, "g");
  for (let match = special.exec(marked); match; match = special.exec(marked)) {
    append(marked.slice(last, match.index));
    last = match.index + 1;
    if (match[0] === LITERAL) {
      append(marked.slice(last, last + 1));
      last += 1;
      special.lastIndex = last;
    } else if (match[0] === RAW_START) {
      open.push(Origin.RawData);
    } else if (match[0] === ESCAPED_START) {
      open.push(Origin.EscapedData);
    } else {
      open.pop();
    }
  }
  append(marked.slice(last));

  const fromData = new Uint8Array(text.length);
  for (let i = 0; i < dataRanges.length; i += 3)
    fromData.fill(dataRanges[i + 2], dataRanges[i], dataRanges[i + 1]);
  return { text, fromData };
}

/** mustache.js says `... at <offset>`; we say the line, and for an unclosed section, where it opened. */
function syntaxError(error: Error, template: string, origin: TemplateOrigin): PromptTemplateError {
  const lineAt = (offset: number) => origin.firstLine + countLines(template, offset);
  const found = /^(.*) at (\d+)$/.exec(error.message);
  const where = (offset: number) => ({ file: origin.file, line: lineAt(offset), cause: error });
  if (!found)
    return new PromptTemplateError(`Mustache syntax error: ${error.message}`, {
      file: origin.file,
      cause: error,
    });

  const [, what, at] = found;
  const offset = Number(at);
  const section = /^Unclosed section "(.*)"$/.exec(what);
  if (section && offset >= template.length) {
    const opened = lastOpening(template, section[1]);
    return new PromptTemplateError(
      `Mustache syntax error: the section "${section[1]}" is never closed (the template ends on line ${lineAt(template.length)})`,
      where(opened ?? template.length),
    );
  }
  if (section) {
    return new PromptTemplateError(
      `Mustache syntax error: this closing tag does not match the open section "${section[1]}"`,
      where(offset),
    );
  }
  const unopened = /^Unopened section "(.*)"$/.exec(what);
  if (unopened) {
    return new PromptTemplateError(
      `Mustache syntax error: {{/${unopened[1]}}} closes a section that is not open`,
      where(offset),
    );
  }
  if (what === "Unclosed tag") {
    // mustache.js reports the end of the template; the tag that never closes is the last `{{`.
    const opened = template.lastIndexOf("{{");
    return new PromptTemplateError(
      "Mustache syntax error: a tag is never closed",
      where(opened === -1 ? offset : opened),
    );
  }
  return new PromptTemplateError(`Mustache syntax error: ${what}`, where(offset));
}

/** Where `{{#name}}` or `{{^name}}` last appears, with the default delimiters. */
function lastOpening(template: string, name: string): number | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const opening = new RegExp(`\\{\\{\\s*[#^]\\s*${escaped}\\s*\\}\\}`, "g");
  let found: number | undefined;
  for (let match = opening.exec(template); match; match = opening.exec(template)) found = match.index;
  return found;
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}
