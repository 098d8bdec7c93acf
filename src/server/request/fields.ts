// Small typed readers for request JSON. Each names the field at fault in its 400 (S1.4). They
// read own properties only (`Object.hasOwn`), so keys such as `__proto__` or `constructor` in the
// body are plain data and inherited members are never mistaken for fields (quality.md Q3).
import { badRequest } from "../http-error.js";

/** A parsed JSON object. */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The own value of `key`, with JSON `null` treated as absent (OpenAI clients send explicit nulls). */
export function own(object: JsonObject, key: string): unknown {
  if (!Object.hasOwn(object, key)) return undefined;
  const value = object[key];
  return value === null ? undefined : value;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** Throws the 400 for a field of the wrong type. */
export function wrongType(param: string, expected: string, value: unknown): never {
  throw badRequest(`'${param}' must be ${expected}, not ${typeName(value)}.`, param);
}

export function optionalString(object: JsonObject, key: string, param = key): string | undefined {
  const value = own(object, key);
  if (value === undefined || typeof value === "string") return value;
  return wrongType(param, "a string", value);
}

export function optionalBoolean(object: JsonObject, key: string, param = key): boolean | undefined {
  const value = own(object, key);
  if (value === undefined || typeof value === "boolean") return value;
  return wrongType(param, "a boolean", value);
}

/** A finite number within `[min, max]`. */
export function optionalNumber(
  object: JsonObject,
  key: string,
  range: { min: number; max: number },
  param = key,
): number | undefined {
  const value = own(object, key);
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value)) return wrongType(param, "a number", value);
  if (value < range.min || value > range.max) {
    throw badRequest(`'${param}' must be between ${range.min} and ${range.max}, not ${value}.`, param);
  }
  return value;
}

/** An integer of at least `min`. */
export function optionalInteger(
  object: JsonObject,
  key: string,
  min: number,
  param = key,
): number | undefined {
  const value = own(object, key);
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) return wrongType(param, "an integer", value);
  if (value < min) throw badRequest(`'${param}' must be at least ${min}, not ${value}.`, param);
  return value;
}

export function optionalObject(object: JsonObject, key: string, param = key): JsonObject | undefined {
  const value = own(object, key);
  if (value === undefined || isJsonObject(value)) return value;
  return wrongType(param, "an object", value);
}

export function optionalArray(object: JsonObject, key: string, param = key): readonly unknown[] | undefined {
  const value = own(object, key);
  if (value === undefined || Array.isArray(value)) return value;
  return wrongType(param, "an array", value);
}
