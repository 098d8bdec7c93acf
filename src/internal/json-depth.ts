// How deeply a JSON text nests (issue 9, "memory is bounded"): `JSON.parse` takes any depth, but
// everything recursive after it (redaction, `JSON.stringify`, `asDict()`, a user's own code) runs out
// of stack somewhere past a few thousand levels with a bare `RangeError`. Replies, error bodies and
// stream chunks nested deeper than this are refused at the door with the SDK's own error instead.

/** The deepest nesting of arrays and objects accepted from a service (real replies nest < 10). */
export const MAX_JSON_DEPTH = 512;

// The characters that matter; everything between them is skipped by the regular expression engine,
// so that a long run of digits (an embedding) costs no JavaScript loop iterations.
const STRUCTURAL = /[[\]{}"]/g;

/**
 * Whether `text` nests arrays and objects more than `limit` levels deep. Strings are skipped (a
 * bracket inside one does not count). Linear in the text's length; meant for text that parses, on
 * which it is exact (for any other text it looks at the brackets all the same).
 */
export function jsonNestsDeeperThan(text: string, limit: number = MAX_JSON_DEPTH): boolean {
  // Each level takes an opening and a closing bracket: shorter valid JSON cannot be deeper.
  if (text.length <= limit * 2) return false;
  let depth = 0;
  STRUCTURAL.lastIndex = 0;
  for (let match = STRUCTURAL.exec(text); match !== null; match = STRUCTURAL.exec(text)) {
    const char = text.charCodeAt(match.index);
    if (char === QUOTE) {
      const end = stringEnd(text, match.index + 1);
      if (end === -1) break;
      STRUCTURAL.lastIndex = end + 1;
    } else if (char === OPEN_BRACKET || char === OPEN_BRACE) {
      if (++depth > limit) {
        STRUCTURAL.lastIndex = 0;
        return true;
      }
    } else {
      depth--;
    }
  }
  STRUCTURAL.lastIndex = 0;
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const OPEN_BRACE = 0x7b;

/** The index of the quote closing a string whose content starts at `from`, or -1. */
function stringEnd(text: string, from: number): number {
  for (let quote = text.indexOf('"', from); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    for (let i = quote - 1; i >= from && text.charCodeAt(i) === BACKSLASH; i--) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}
