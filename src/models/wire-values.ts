// Plain JSON values as the model store holds them. Models may sit anywhere inside; they are
// recognised by a duck-typed brand so that this file does not import the Model class (no cycle).

/** A JSON object as received on the wire (snake_case keys). */
export type WireObject = { [key: string]: unknown };

/** What a model exposes to the helpers here: its wire form and a deep copy of itself. */
export interface WireModel {
  asDict(options?: { excludeReadonly?: boolean }): WireObject;
  copy(): WireModel;
  /** The store itself, for comparisons that must not allocate. @internal */
  readonly [storeBrand]: WireObject;
}

export const storeBrand: unique symbol = Symbol("ai-inference.model-store");

export function isModel(value: unknown): value is WireModel {
  return typeof value === "object" && value !== null && storeBrand in value;
}

/** An object literal or a JSON.parse result: not an array, a model, a Date, a Map... */
export function isPlainObject(value: unknown): value is WireObject {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Sets `key` on `target` as an own data property. Only `__proto__` needs `defineProperty`: plain
 * assignment of that key would replace the prototype instead of storing data.
 */
export function putKey(target: WireObject, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * A deep copy of a wire value: objects and arrays are copied, models copy themselves (keeping
 * their class), anything else is shared. Used where the caller's objects must never be written to.
 */
export function cloneWire(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneWire(value[i]);
    return out;
  }
  if (isModel(value)) return value.copy();
  if (!isPlainObject(value)) return value;
  const out: WireObject = {};
  for (const key in value) {
    if (Object.hasOwn(value, key)) putKey(out, key, cloneWire(value[key]));
  }
  return out;
}

/**
 * The plain JSON form of a wire value: like `cloneWire`, but models become their `asDict()`.
 * This is `asDict()`'s inner loop, so it avoids closures and iterators.
 */
export function toPlain(value: unknown, excludeReadonly: boolean): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = toPlain(value[i], excludeReadonly);
    return out;
  }
  if (isModel(value)) return value.asDict({ excludeReadonly });
  const out: WireObject = {};
  for (const key in value as WireObject) {
    if (Object.hasOwn(value, key)) putKey(out, key, toPlain((value as WireObject)[key], excludeReadonly));
  }
  return out;
}

/**
 * Deep equality of wire forms: key order ignored, numbers by value, models compared by their stores.
 * `undefined` values count as absent keys, as they would in JSON.
 */
export function wireEquals(a: unknown, b: unknown): boolean {
  if (isModel(a)) a = a[storeBrand];
  if (isModel(b)) b = b[storeBrand];
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!wireEquals(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const keysA = definedKeys(a as WireObject);
  const keysB = definedKeys(b as WireObject);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!Object.hasOwn(b, key) || !wireEquals((a as WireObject)[key], (b as WireObject)[key])) return false;
  }
  return true;
}

function definedKeys(object: WireObject): string[] {
  return Object.keys(object).filter((key) => object[key] !== undefined);
}

/**
 * Returns a description of the first value inside `value` that JSON cannot carry (a function, a
 * bigint, a symbol, a non-finite number, a Date or other class instance, `undefined` in an array),
 * or `undefined` when the whole value is JSON or models. Keeps `asDict()` JSON-safe (M6 `set`).
 */
export function findNonJson(value: unknown, path = "value"): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot carry`;
    case "object": {
      if (value === null || isModel(value)) return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const found =
            value[i] === undefined ? `${path}[${i}] is undefined` : findNonJson(value[i], `${path}[${i}]`);
          if (found) return found;
        }
        return undefined;
      }
      if (!isPlainObject(value)) {
        const name = (value as object).constructor?.name ?? "object";
        return `${path} is a ${name}, not a JSON value or a model`;
      }
      for (const key of Object.keys(value)) {
        const item = value[key];
        if (item === undefined) continue;
        const found = findNonJson(item, `${path}.${key}`);
        if (found) return found;
      }
      return undefined;
    }
    default:
      return `${path} is a ${typeof value}, not a JSON value or a model`;
  }
}
