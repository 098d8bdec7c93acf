// The visible text of an HTML error page (a proxy's 502, a gateway's 404), for error messages
// (protocol.md P3.2). Hand-written rather than regular expressions because it must run in linear
// time on whatever a server sends (issue 9): `/<[^>]+>/g` backtracks to the end of the page from
// every `<` that has no `>`, which took 7.5 s on a 78 KB page. Every search below moves forward,
// and a search that found nothing is never repeated.

/** The page's title and visible text, whitespace collapsed, scripts and styles left out. */
export function htmlText(html: string): string {
  const title = titleOf(html);
  const body = collapse(decodeEntities(visibleText(html)));
  if (title === undefined) return body;
  const cleanTitle = collapse(decodeEntities(title));
  if (cleanTitle === "" || body.startsWith(cleanTitle)) return body;
  return body === "" ? cleanTitle : `${cleanTitle}: ${body}`;
}

/** Elements whose content is not visible text. */
const HIDDEN = new Set(["script", "style", "head"]);

function visibleText(html: string): string {
  const parts: string[] = [];
  /** Elements known to have no closing tag after the current position (so never looked for again). */
  const unclosed = new Set<string>();
  /** The start of the text not yet kept; `search` is where the next tag is looked for. */
  let at = 0;
  let search = 0;
  while (search < html.length) {
    const open = html.indexOf("<", search);
    if (open === -1) break;
    // As in HTML, "<" starts a tag only before a letter, "/", "!" or "?" ("a < b" is text, kept
    // with the text around it rather than piece by piece: a page of "<" alone stays cheap).
    if (!startsTag(html.charCodeAt(open + 1))) {
      search = open + 1;
      continue;
    }
    const close = html.indexOf(">", open + 1);
    // No '>' after here: there are no more tags, the rest is text.
    if (close === -1) break;
    parts.push(html.slice(at, open), " ");
    const name = tagName(html, open + 1, close);
    at = close + 1;
    search = at;
    if (HIDDEN.has(name) && !unclosed.has(name)) {
      const end = closingTag(html, name, at);
      if (end === -1) unclosed.add(name);
      else at = search = end;
    }
  }
  parts.push(html.slice(at));
  return parts.join("");
}

/** The lowercase name of the tag whose text runs from `from` (after '<') to `to` ('>'). */
function tagName(html: string, from: number, to: number): string {
  let end = from;
  while (end < to && end - from < 16 && isNameChar(html.charCodeAt(end))) end++;
  return html.slice(from, end).toLowerCase();
}

function startsTag(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    code === 0x2f ||
    code === 0x21 ||
    code === 0x3f
  );
}

function isNameChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39);
}

/** The index just after `</name ... >` at or after `from`, or -1. */
function closingTag(html: string, name: string, from: number): number {
  const pattern = new RegExp(`</${name}\\b`, "gi");
  pattern.lastIndex = from;
  const match = pattern.exec(html);
  if (match === null) return -1;
  const close = html.indexOf(">", match.index);
  return close === -1 ? html.length : close + 1;
}

function titleOf(html: string): string | undefined {
  const open = /<title\b/i.exec(html);
  if (open === null) return undefined;
  const start = html.indexOf(">", open.index);
  if (start === -1) return undefined;
  const closing = /<\/title\b/gi;
  closing.lastIndex = start;
  const end = closing.exec(html);
  return end === null ? undefined : html.slice(start + 1, end.index);
}

const ENTITY = /&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|nbsp|lt|gt|amp|quot|apos);/gi;
const NAMED: Readonly<Record<string, string>> = {
  nbsp: " ",
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
};

/** `text` with the character references an error page uses decoded (`&amp;`, `&#8212;`, `&#x41;`). */
export function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(ENTITY, (whole, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower[0] !== "#") return NAMED[lower] ?? whole;
    const code = lower[1] === "x" ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
