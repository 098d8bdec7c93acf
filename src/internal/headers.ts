// Header sets as the client merges them: names lowercased (HTTP names are case-insensitive, and one
// spelling per name makes "later wins" exact), a `null` value removing what an earlier set gave
// (openai-node's rule), `undefined` ignored.

/** Headers as options take them: a record (a `null` value removes a default) or a standard `Headers`. */
export type HeadersOption = Readonly<Record<string, string | null | undefined>> | Headers;

/** Merges `set` into `target` (mutated and returned), lowercasing names; `null` deletes. */
export function mergeHeaders(
  target: Record<string, string>,
  set: HeadersOption | undefined,
): Record<string, string> {
  if (set === undefined) return target;
  if (typeof Headers !== "undefined" && set instanceof Headers) {
    set.forEach((value, name) => {
      target[name] = value;
    });
    return target;
  }
  const record = set as Readonly<Record<string, string | null | undefined>>;
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (value === null) delete target[lower];
    else target[lower] = value;
  }
  return target;
}

/** Throws `TypeError` naming `option` unless `value` is a headers option of string values. */
export function checkHeadersOption(value: unknown, option: string): void {
  if (value === undefined) return;
  if (typeof Headers !== "undefined" && value instanceof Headers) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${option} must be an object of header names to strings (or null to remove one).`);
  }
  for (const [name, item] of Object.entries(value)) {
    if (item !== null && item !== undefined && typeof item !== "string") {
      throw new TypeError(`${option}["${name}"] must be a string, null (to remove it) or undefined.`);
    }
  }
}
