// Keeps secrets out of everything the SDK prints or throws (protocol.md P3.3, P3.4): header values
// by name, URL credentials and secret-looking query parameters, and known secret values wherever
// they appear (a service or proxy that echoes the request back must not leak the key).

export const REDACTED = "[REDACTED]";

const SECRET_HEADER =
  /^(authorization|proxy-authorization|api-key|x-api-key|cookie|set-cookie|ocp-apim-subscription-key)$|(key|token|secret|password|signature)/i;
const SECRET_QUERY = /(key|token|secret|password|sig|signature|code|credential)/i;

/** Whether a header's value must never be shown. */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** A copy of the headers with secret values replaced. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) out[name] = isSecretHeader(name) ? REDACTED : headers[name];
  return out;
}

/** The URL with user info and secret-looking query values replaced; unparseable text is returned as is. */
export function redactUrl(url: string): string {
  if (!url.includes("@") && !url.includes("?")) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username !== "" || parsed.password !== "") {
    parsed.username = REDACTED;
    parsed.password = "";
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY.test(name)) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.toString();
}

// Shorter values (a local server's "test" key) would garble ordinary words; real keys and tokens
// are far longer. Header values are redacted by name whatever their length.
const MIN_SCANNED_SECRET = 6;

/** `text` with every occurrence of each secret (of 6 characters or more) replaced. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SCANNED_SECRET && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/**
 * A copy of a JSON-like value with every string's secrets replaced, or the value itself when it
 * holds none (the common case: nothing is copied).
 */
export function redactValue<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === "string") return redactText(value, secrets) as T;
  if (typeof value !== "object" || value === null) return value;
  const json = JSON.stringify(value);
  if (!secrets.some((secret) => secret.length >= MIN_SCANNED_SECRET && json.includes(secret))) return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets)) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    Object.defineProperty(out, redactText(key, secrets), {
      value: redactValue((value as Record<string, unknown>)[key], secrets),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out as T;
}
