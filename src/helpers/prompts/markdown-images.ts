// Markdown images in a message (T4.4): `![alt](target)` splits the content into text pieces around
// `image_url` items. As with role markers (T6), the image syntax (`![`, `](`, `)`) must come from
// the template; alt text and target may come from the data (`![photo]({{url}})`).
import { bytesToBase64 } from "../../internal/base64.js";
import { readFileBytesSync, resolveFrom } from "#platform/prompt-files";
import type { RenderedText } from "./mustache-renderer.js";
import { PromptTemplateError } from "./prompt-template-error.js";
import type { PromptContentItem } from "./types.js";

/** Turns an image target into the URL sent: a URL as it is, a local file inlined. */
export type ImageResolver = (target: string) => string;

// Same shape as the reference's pattern: alt without `]`, target up to the first `)` on the line.
const IMAGE = /!\[[^\]]*\]\(([^)\n]*)\)/g;
const URL_PREFIX = /^(?:https?|data):/i;
const IMAGE_TYPES = new Map([
  ["png", "image/png"],
  ["jpg", "image/jpeg"],
  ["jpeg", "image/jpeg"],
]);

/** The content of `[start, end)` of `rendered`: the text itself, or items when it holds images. */
export function toMessageContent(
  { text, fromData }: RenderedText,
  start: number,
  end: number,
  resolveImage: ImageResolver,
): string | PromptContentItem[] {
  const content = text.slice(start, end);
  if (!content.includes("![")) return content;

  // Data characters become NUL in the copy we match against, so they can never form syntax.
  let syntax = content;
  if (fromData.subarray(start, end).includes(1)) {
    syntax = "";
    for (let i = start; i < end; i++) syntax += fromData[i] === 1 && text[i] !== "\n" ? "\0" : text[i];
  }

  const items: PromptContentItem[] = [];
  const pushText = (piece: string) => {
    const trimmed = piece.trim();
    if (trimmed) items.push({ type: "text", text: trimmed });
  };
  let last = 0;
  const image = new RegExp(IMAGE.source, "g");
  for (let match = image.exec(syntax); match; match = image.exec(syntax)) {
    pushText(content.slice(last, match.index));
    const targetEnd = match.index + match[0].length - 1;
    const target = content
      .slice(targetEnd - match[1].length, targetEnd)
      .trim()
      .split(/\s+/)[0];
    items.push({ type: "image_url", image_url: { url: resolveImage(target) } });
    last = match.index + match[0].length;
  }
  if (items.length === 0) return content;
  pushText(content.slice(last));
  return items;
}

/** For `fromString`, which has no folder to read from: targets are sent as written (as in the reference). */
export const keepImageTargets: ImageResolver = (target) => {
  if (target === "") throw new PromptTemplateError("a markdown image has no target: `![alt]()`");
  return target;
};

/**
 * For a Prompty file: `http(s):` and `data:` targets are URLs; anything else is a `.png`, `.jpg` or
 * `.jpeg` file (any case) relative to the file, inlined as a base64 data URL.
 */
export function inlineLocalImages(promptyFile: string, promptyDir: string): ImageResolver {
  return (target) => {
    if (target === "")
      throw new PromptTemplateError("a markdown image has no target: `![alt]()`", { file: promptyFile });
    if (URL_PREFIX.test(target)) return target;

    const path = resolveFrom(promptyDir, target);
    const extension = /\.([^./\\]*)$/.exec(target)?.[1] ?? "";
    const mediaType = IMAGE_TYPES.get(extension.toLowerCase());
    if (!mediaType) {
      throw new PromptTemplateError(
        `cannot inline the image ${path}: only .png, .jpg and .jpeg files are (image in ${promptyFile})`,
        { file: path },
      );
    }
    let bytes: Uint8Array;
    try {
      bytes = readFileBytesSync(path);
    } catch (cause) {
      throw new PromptTemplateError(
        `cannot read the image ${path} (${(cause as Error).message}; image in ${promptyFile})`,
        { file: path, cause },
      );
    }
    return `data:${mediaType};base64,${bytesToBase64(bytes)}`;
  };
}
