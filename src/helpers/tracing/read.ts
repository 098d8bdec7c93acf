// Reading results without copying them: a result is a model (whose nested values are read with
// `get`) from the SDK entry's bundle, which this subpath cannot test with `instanceof`, or plain
// wire JSON (a parsed request). `read` takes either.

/** The value at `key` of a model or a plain object; `undefined` for anything else. */
export function read(value: unknown, key: string): unknown {
  if (typeof value !== "object" || value === null) return undefined;
  const get = (value as { get?: unknown }).get;
  if (typeof get === "function" && !Array.isArray(value))
    return (get as (k: string) => unknown).call(value, key);
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** An array as an array (models keep arrays as arrays). */
export function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A finite number. */
export function number(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** A whole number (token counts, seeds). */
export function integer(value: unknown): number | undefined {
  return Number.isInteger(value) ? (value as number) : undefined;
}

/** The plain JSON form of a value that may be a model (`toJSON`) or hold models. */
export function plain(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value) ?? "null");
}
