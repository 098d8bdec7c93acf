// Splits rendered text into messages at role markers (T4.1, T4.2), counting only markers the
// template wrote (T6): a marker line must begin after a template line break (or at the start),
// and its `:` and the line break after it must come from the template too. So `{{role}}:` filled
// from data still marks a message, while a value holding "\nuser:\n" stays text.
import type { RenderedText } from "./mustache-renderer.js";
import type { PromptRole } from "./types.js";

/** One message's part of the rendered text: `[start, end)`, trimmed, never empty. */
export interface MessageSpan {
  role: PromptRole;
  start: number;
  end: number;
}

// Whitespace other than a line break, so that a line broken by a value's own newline never matches.
// No two runs of it touch unless a `#` sits between them: a long blank line from the data must not
// make the match backtrack quadratically.
const MARKER = /^([^\S\n]*(?:#[^\S\n]*)?(system|user|assistant|function)[^\S\n]*):[^\S\n]*$/i;
const SPACE = /\s/;

/** The messages of `rendered`, in order. Text before the first marker is a system message. */
export function splitAtRoleMarkers({ text, fromData }: RenderedText): MessageSpan[] {
  const spans: MessageSpan[] = [];
  let role: PromptRole = "system";
  let start = 0;
  const close = (end: number) => {
    while (start < end && SPACE.test(text[start])) start++;
    while (end > start && SPACE.test(text[end - 1])) end--;
    if (end > start) spans.push({ role, start, end });
  };

  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    while (lineEnd !== -1 && fromData[lineEnd] !== 0) lineEnd = text.indexOf("\n", lineEnd + 1);
    if (lineEnd === -1) lineEnd = text.length;

    const marker = MARKER.exec(text.slice(lineStart, lineEnd));
    if (marker && fromData[lineStart + marker[1].length] === 0) {
      close(lineStart);
      role = marker[2].toLowerCase() as PromptRole;
      start = lineEnd + 1;
    }
    lineStart = lineEnd + 1;
  }
  close(text.length);
  return spans;
}
