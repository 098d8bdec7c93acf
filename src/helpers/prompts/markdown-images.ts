// Markdown images in a message (T4.4): `![alt](target)` splits the content into text pieces around
// `image_url` items. As with role markers (T6), the image syntax (`![`, `](`, `)`) must come from
// the template; alt text and target may come from the data (`![photo]({{url}})`). A target is the
// value as given, never its HTML-escaped form: `{{url}}` escapes `&` in the text, and a SAS URL's
// `&` must reach the service as `&`.
import { Origin, type RenderedText, unescapeHtml } from "./mustache-renderer.js";
import { PromptTemplateError } from "./prompt-template-error.js";
import type { PromptContentItem } from "./types.js";

/** Turns an image target into the URL sent: a URL as it is, a local file inlined. */
export type ImageResolver = (target: string) => string;

/** The content of `[start, end)` of `rendered`: the text itself, or items when it holds images. */
export function toMessageContent(
  rendered: RenderedText,
  start: number,
  end: number,
  resolveImage: ImageResolver,
): string | PromptContentItem[] {
  const content = rendered.text.slice(start, end);
  if (!content.includes("![")) return content;

  const items: PromptContentItem[] = [];
  const pushText = (from: number, to: number) => {
    const trimmed = rendered.text.slice(from, to).trim();
    if (trimmed) items.push({ type: "text", text: trimmed });
  };
  let last = start;
  for (const image of findImages(rendered, start, end)) {
    pushText(last, image.start);
    const target = imageTarget(rendered, image.targetStart, image.targetEnd);
    items.push({ type: "image_url", image_url: { url: resolveImage(target) } });
    last = image.end;
  }
  if (items.length === 0) return content;
  pushText(last, end);
  return items;
}

const BANG = 33; // !
const OPEN_BRACKET = 91; // [
const CLOSE_BRACKET = 93; // ]
const OPEN_PAREN = 40; // (
const CLOSE_PAREN = 41; // )
const LINE_BREAK = 10;

/**
 * The images of `[start, end)`: the reference's pattern `!\[[^\]]*\]\(([^)\n]*)\)` (alt without
 * `]`, target up to the first `)` on the line), where `![`, `](` and `)` count only when the
 * template wrote them: a value's `]` or `)` is alt or target text. Scans each character a bounded
 * number of times for the data (only the template's own `![` can start a longer scan), without
 * building a copy of the text.
 */
function* findImages(
  { text, fromData }: RenderedText,
  start: number,
  end: number,
): Generator<{ start: number; targetStart: number; targetEnd: number; end: number }> {
  const isTemplate = (i: number, code: number) =>
    text.charCodeAt(i) === code && fromData[i] === Origin.Template;
  let from = start;
  for (;;) {
    const bang = text.indexOf("![", from);
    if (bang === -1 || bang + 2 > end) return;
    from = bang + 1;
    if (!isTemplate(bang, BANG) || !isTemplate(bang + 1, OPEN_BRACKET)) continue;
    let close = bang + 2;
    while (close < end && !isTemplate(close, CLOSE_BRACKET)) close++;
    if (close + 1 >= end || !isTemplate(close + 1, OPEN_PAREN)) continue;
    const targetStart = close + 2;
    let targetEnd = targetStart;
    while (
      targetEnd < end &&
      text.charCodeAt(targetEnd) !== LINE_BREAK &&
      !isTemplate(targetEnd, CLOSE_PAREN)
    )
      targetEnd++;
    if (targetEnd >= end || text.charCodeAt(targetEnd) !== CLOSE_PAREN) continue;
    yield { start: bang, targetStart, targetEnd, end: targetEnd + 1 };
    from = targetEnd + 1;
  }
}

/** The first word of `[start, end)`, its escaped values unescaped: the target as the data gave it. */
function imageTarget({ text, fromData }: RenderedText, start: number, end: number): string {
  let target = "";
  let runStart = start;
  while (runStart < end) {
    const origin = fromData[runStart];
    let runEnd = runStart + 1;
    while (runEnd < end && fromData[runEnd] === origin) runEnd++;
    const piece = text.slice(runStart, runEnd);
    target += origin === Origin.EscapedData ? unescapeHtml(piece) : piece;
    runStart = runEnd;
  }
  return target.trim().split(/\s+/)[0];
}

/** The targets a template writes itself (no tag in them), in order: what a Prompty file can read at load. */
export function literalImageTargets(template: string): string[] {
  const targets = new Set<string>();
  const all = { text: template, fromData: new Uint8Array(template.length) };
  for (const image of findImages(all, 0, template.length)) {
    const target = imageTarget(all, image.targetStart, image.targetEnd);
    if (target !== "" && !target.includes("{{")) targets.add(target);
  }
  return [...targets];
}

/** For `fromString`, which has no folder to read from: targets are sent as written (as in the reference). */
export const keepImageTargets: ImageResolver = (target) => {
  if (target === "") throw new PromptTemplateError("a markdown image has no target: `![alt]()`");
  return target;
};
