// Keeps secrets out of everything the SDK prints or throws (protocol.md P3.3, P3.4): header values
// by name, URL credentials and secret-looking query parameters, and every secret value the client
// knows wherever it appears (a service or proxy that echoes the request back must not leak the key).
//
// The secrets are the credential's value, the values of the secret-named headers the user set,
// the values of the endpoint's secret-named query parameters and its URL userinfo. How far a value
// is hunted depends on its length, so that a short key cannot garble ordinary text (a key `1` must
// not turn `401` into `4[REDACTED]`): 8 characters or more, wherever it appears; 4 to 7, where it
// stands as a whole word; under 4, only where it is a whole value (a header, a query parameter, a
// JSON string).

import { MAX_JSON_DEPTH } from "./json-depth.js";

export const REDACTED = "[REDACTED]";

const SECRET_HEADER =
  /^(authorization|proxy-authorization|api-key|x-api-key|cookie|set-cookie|ocp-apim-subscription-key)$|(key|token|secret|password|signature)/i;
// `sig` is the signature of a SAS URL; `code` the key of an Azure Functions URL.
const SECRET_QUERY = /(key|token|secret|password|sig|signature|code|credential)/i;

/** Values at least this long are redacted wherever they appear. */
const ANYWHERE = 8;
/** Values at least this long (and shorter than ANYWHERE) are redacted where they stand as a whole word. */
const AS_WORD = 4;

/** Whether a header's value must never be shown. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** Whether a query parameter's value must never be shown (`api-version` is not). */
export function isSecretQueryParameter(name: string): boolean {
  return SECRET_QUERY.test(name);
}

/** A copy of the headers with secret values replaced. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) out[name] = isSecretHeader(name) ? REDACTED : headers[name];
  return out;
}

/**
 * The secret values among headers the user set: each secret-named header's value, and the parts a
 * service might echo alone (the token of `Bearer <token>`, each cookie's value).
 */
export function secretsOfHeaders(headers: Readonly<Record<string, string | null | undefined>>): string[] {
  const found: string[] = [];
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (typeof value !== "string" || value === "" || !isSecretHeader(name)) continue;
    found.push(value);
    const scheme = /^\s*[A-Za-z][\w-]*\s+(\S.*)$/.exec(value);
    if (scheme !== null && /authorization/i.test(name)) found.push(scheme[1].trim());
    if (/cookie/i.test(name)) {
      for (const pair of value.split(";")) {
        const equals = pair.indexOf("=");
        const cookie = (equals === -1 ? pair : pair.slice(equals + 1)).trim();
        if (cookie !== "") found.push(cookie);
      }
    }
  }
  return found;
}

/** The secret values of a URL: its userinfo and its secret-named query parameters, raw and decoded. */
export function secretsOfUrl(url: URL): string[] {
  const found: string[] = [];
  const add = (raw: string): void => {
    if (raw === "") return;
    found.push(raw);
    try {
      const decoded = decodeURIComponent(raw);
      if (decoded !== raw) found.push(decoded);
    } catch {
      // Not valid percent-encoding: the raw form is all there is.
    }
  };
  add(url.username);
  add(url.password);
  for (const [name, value] of url.searchParams) {
    if (!isSecretQueryParameter(name) || value === "") continue;
    found.push(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) found.push(encoded);
  }
  return found;
}

/**
 * The URL with user info and secret-looking query values replaced, then any known secret still in
 * it; unparseable text only has the known secrets replaced.
 */
export function redactUrl(url: string, secrets: readonly string[] = []): string {
  if (!url.includes("@") && !url.includes("?")) return redactText(url, secrets);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return redactText(url, secrets);
  }
  if (parsed.username !== "" || parsed.password !== "") {
    parsed.username = REDACTED;
    parsed.password = "";
  }
  for (const [name, value] of [...parsed.searchParams]) {
    if (isSecretQueryParameter(name) || secrets.includes(value)) parsed.searchParams.set(name, REDACTED);
  }
  return redactText(parsed.toString(), secrets);
}

/** `text` with each secret replaced where its length says it must be (see the top of this file). */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of bySearchOrder(secrets)) {
    if (secret.length < AS_WORD || !out.includes(secret)) continue;
    out = secret.length >= ANYWHERE ? out.split(secret).join(REDACTED) : replaceWords(out, secret);
  }
  return out;
}

/**
 * `text` cut from a longer one (the first 64 KiB of a body) with its secrets redacted, and also a
 * secret the cut split in two: an end that is the beginning of a secret, 4 characters or more, is
 * replaced as well, so that a cut shows at most 3 characters of a key (issue 9).
 */
export function redactCutText(text: string, secrets: readonly string[]): string {
  const out = redactText(text, secrets);
  for (const secret of bySearchOrder(secrets)) {
    const at = cutSecretAt(out, secret);
    if (at !== -1) return out.slice(0, at) + REDACTED;
  }
  return out;
}

/** Where the beginning of `secret` (4 characters or more, as a word when it is short) ends `text`, or -1. */
function cutSecretAt(text: string, secret: string): number {
  if (secret.length <= AS_WORD) return -1;
  const first = secret.charCodeAt(0);
  // The earliest start is the longest beginning; a whole secret would have been redacted already.
  for (let at = Math.max(0, text.length - secret.length + 1); at <= text.length - AS_WORD; at++) {
    if (text.charCodeAt(at) !== first || !secret.startsWith(text.slice(at))) continue;
    if (secret.length < ANYWHERE && at > 0 && WORD_CHAR.test(text[at - 1])) continue;
    return at;
  }
  return -1;
}

/** A header's (or query parameter's) value: redacted whole when it is a secret, else as text. */
export function redactValueText(value: string, secrets: readonly string[]): string {
  return value !== "" && secrets.includes(value) ? REDACTED : redactText(value, secrets);
}

/** The headers, or a copy without the secrets a service echoed into them. */
export function redactHeaderValues(headers: Headers, secrets: readonly string[]): Headers {
  if (secrets.length === 0) return headers;
  let leaked = false;
  headers.forEach((value) => {
    if (!leaked && redactValueText(value, secrets) !== value) leaked = true;
  });
  if (!leaked) return headers;
  const copy = new Headers();
  headers.forEach((value, name) => copy.append(name, redactValueText(value, secrets)));
  return copy;
}

/** Whether `text` holds a secret that `redactText` or `redactValueText` would replace. */
export function holdsSecret(text: string, secrets: readonly string[]): boolean {
  return redactValueText(text, secrets) !== text;
}

/**
 * A copy of a JSON-like value with every string's secrets replaced (a string that is a secret
 * whole, whatever its length), or the value itself when it holds none (the common case: nothing is
 * copied). Values nested deeper than the SDK accepts from a service are replaced whole rather than
 * walked (bodies are checked before they get here: this only guards the stack).
 */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  return redactAt(value, secrets, 0) as T;
}

function redactAt(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === "string") return redactValueText(value, secrets);
  if (typeof value !== "object" || value === null) return value;
  if (depth > MAX_JSON_DEPTH) return REDACTED;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = redactAt(value[i], secrets, depth + 1);
      if (item !== value[i]) (copy ??= [...value])[i] = item;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const out: Record<string, unknown> = {};
  let changed = false;
  for (const key of keys) {
    const item = redactAt(record[key], secrets, depth + 1);
    const name = redactValueText(key, secrets);
    if (item !== record[key] || name !== key) changed = true;
    // defineProperty: a key named __proto__ stays data, never the copy's prototype.
    Object.defineProperty(out, name, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return changed ? out : value;
}

/** Longest first, so that a secret inside a longer one does not break the longer one's match. */
function bySearchOrder(secrets: readonly string[]): readonly string[] {
  if (secrets.length < 2) return secrets;
  return [...new Set(secrets)].sort((a, b) => b.length - a.length);
}

const WORD_CHAR = /[A-Za-z0-9_]/;

/** Replaces the occurrences of `word` that stand as a whole word (no letter, digit or _ around). */
function replaceWords(text: string, word: string): string {
  let out = "";
  let from = 0;
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const before = at === 0 ? "" : text[at - 1];
    const after = text[at + word.length] ?? "";
    if (WORD_CHAR.test(before) || WORD_CHAR.test(after)) continue;
    if (at < from) continue;
    out += text.slice(from, at) + REDACTED;
    from = at + word.length;
  }
  return from === 0 ? text : out + text.slice(from);
}
