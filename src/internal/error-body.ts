// The body an error keeps (protocol.md P3.2 as amended by issue 9): at most 64 KiB of it, parsed as
// JSON when it is whole JSON that nests within the SDK's limit, else the raw text. A cut body stays
// raw text (truncated JSON would not parse) and says so.
import { decodeEntities } from "./html-text.js";
import { jsonNestsDeeperThan } from "./json-depth.js";
import { redactCutText, redactValue } from "./redact.js";

/** How much of an error body is read and kept, in bytes (and, once decoded, in characters). */
export const MAX_ERROR_BODY_BYTES = 65_536;

/** An error body as kept: the parsed JSON or the raw text, and whether it was cut. */
export interface ErrorBody {
  readonly body: unknown;
  readonly truncated: boolean;
}

/**
 * The body an error keeps, from the text read (`truncated`: the reader stopped before the end).
 * Text longer than the limit is cut here too (a 2xx reply the client could not use).
 */
export function errorBody(text: string, truncated = false): ErrorBody {
  if (text.length > MAX_ERROR_BODY_BYTES) {
    let end = MAX_ERROR_BODY_BYTES;
    // Never split a surrogate pair.
    if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
    return { body: text.slice(0, end), truncated: true };
  }
  return { body: truncated ? text : parseBody(text), truncated };
}

/**
 * The body an error keeps (as `errorBody`) with the call's secrets redacted (P3.3): also a secret
 * that the 64 KiB cut split in two, and one written as HTML character references (`&#115;k-...`),
 * which the message extractor would decode back into the secret; such a body is kept decoded.
 */
export function redactedErrorBody(text: string, secrets: readonly string[], truncated = false): ErrorBody {
  const kept = errorBody(text, truncated);
  if (secrets.length === 0 || typeof kept.body !== "string") {
    return { body: redactValue(kept.body, secrets), truncated: kept.truncated };
  }
  const redact = (raw: string): string =>
    kept.truncated ? redactCutText(raw, secrets) : redactValue(raw, secrets);
  // A reference the cut broke (`&#11`) is dropped: it would hide the end of a cut secret.
  const body = kept.truncated ? kept.body.replace(BROKEN_REFERENCE, "") : kept.body;
  const decoded = decodeEntities(body);
  if (decoded !== body) {
    const clean = redact(decoded);
    if (clean !== decoded) return { body: clean, truncated: kept.truncated };
  }
  return { body: redact(body), truncated: kept.truncated };
}

const BROKEN_REFERENCE = /&#?[0-9A-Za-z]{0,8}$/;

/** The parsed JSON of a body, or its text when it is not JSON or nests too deeply (`""` when empty). */
export function parseBody(text: string): unknown {
  if (text === "") return "";
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[" && first !== '"') return text;
  if (jsonNestsDeeperThan(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
