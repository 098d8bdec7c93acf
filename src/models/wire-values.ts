// Plain JSON values as the model store holds them. Models may sit anywhere inside; they are
// recognised by a brand on Model.prototype so that this file does not import the Model class (no cycle).

/** A JSON object as received on the wire (snake_case keys). */
export type WireObject = { [key: string]: unknown };

/**
 * Wire data as inputs accept it: any object type, interfaces included (an interface is not
 * assignable to `WireObject`'s index signature). At run time it must be a plain object.
 */
export type WireInput = object;

/** What a model exposes to the helpers here: its wire form and a deep copy of itself. */
export interface WireModel {
  asDict(options?: { excludeReadonly?: boolean }): WireObject;
  copy(): WireModel;
  /** The store itself, for comparisons that must not allocate. @internal */
  readonly [storeBrand]: WireObject;
}

export const storeBrand: unique symbol = Symbol("ai-inference.model-store");
/** Set to `true` on Model.prototype: a spread (`{ ...model }`) copies the store symbol but not this. */
export const modelBrand: unique symbol = Symbol("ai-inference.model");

export function isModel(value: unknown): value is WireModel {
  return (
    typeof value === "object" && value !== null && (value as { [modelBrand]?: true })[modelBrand] === true
  );
}

/**
 * True for an object that carries a model's store symbol without being a model: the result of
 * spreading one (`{ ...model }`, `Object.assign({}, model)`). It holds none of the model's data
 * as keys, so taking it as wire data would silently send `{}`.
 */
export function isSpreadModel(value: unknown): boolean {
  return typeof value === "object" && value !== null && storeBrand in value && !isModel(value);
}

/** The error for a spread model found at `where`. */
export function spreadModelError(where: string): TypeError {
  return new TypeError(`${spreadProblem(where)}.`);
}

function spreadProblem(where: string): string {
  return (
    `${where} is a copy of a model made by spreading it ({ ...model }), which keeps none of its data; ` +
    "pass the model itself, model.copy() for an independent copy, or model.asDict() for a plain object"
  );
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
 * A spread model or a cycle throws `TypeError` naming where it was found (`where` is the value's name).
 */
export function cloneWire(value: unknown, where = "value"): unknown {
  if (typeof value !== "object" || value === null) return value;
  return cloneObject(value, { where, keys: [], objects: [] });
}

/** Where the copy is: the keys from the top down to the current value, and the objects on that path. */
interface Trail {
  readonly where: string;
  readonly keys: (string | number)[];
  readonly objects: object[];
}

function cloneObject(value: object, trail: Trail): unknown {
  if (isModel(value)) return value.copy();
  if (Array.isArray(value)) {
    enter(value, trail);
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== "object" || item === null) out[i] = item;
      else {
        trail.keys.push(i);
        out[i] = cloneObject(item, trail);
        trail.keys.pop();
      }
    }
    trail.objects.pop();
    return out;
  }
  if (!isPlainObject(value)) return value;
  if (storeBrand in value) throw spreadModelError(trailPath(trail));
  enter(value, trail);
  const out: WireObject = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = value[key];
    if (typeof item !== "object" || item === null) putKey(out, key, item);
    else {
      trail.keys.push(key);
      putKey(out, key, cloneObject(item, trail));
      trail.keys.pop();
    }
  }
  trail.objects.pop();
  return out;
}

function enter(value: object, trail: Trail): void {
  if (trail.objects.includes(value)) {
    throw new TypeError(`${trailPath(trail)} contains itself (a cycle), which JSON cannot carry.`);
  }
  trail.objects.push(value);
}

function trailPath(trail: Trail): string {
  let path = trail.where;
  for (const key of trail.keys) path += typeof key === "number" ? `[${key}]` : `.${key}`;
  return path;
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
  if (storeBrand in value) {
    if (isModel(value)) return value.asDict({ excludeReadonly });
    throw spreadModelError("A value put straight into a list or container of a model");
  }
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
 * bigint, a symbol, a non-finite number, a Date or other class instance, `undefined` in an array,
 * a cycle, a spread model), or `undefined` when the whole value is JSON or models. Keeps
 * `asDict()` JSON-safe (M6 `set`).
 */
export function findNonJson(value: unknown, path = "value", ancestors: object[] = []): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot carry`;
    case "object": {
      if (value === null || isModel(value)) return undefined;
      if (ancestors.includes(value)) return `${path} contains itself (a cycle), which JSON cannot carry`;
      if (Array.isArray(value)) {
        ancestors.push(value);
        for (let i = 0; i < value.length; i++) {
          const found =
            value[i] === undefined
              ? `${path}[${i}] is undefined`
              : findNonJson(value[i], `${path}[${i}]`, ancestors);
          if (found) return found;
        }
        ancestors.pop();
        return undefined;
      }
      if (!isPlainObject(value)) {
        const name = (value as object).constructor?.name ?? "object";
        return `${path} is a ${name}, not a JSON value or a model`;
      }
      if (storeBrand in value) return spreadProblem(path);
      ancestors.push(value);
      for (const key of Object.keys(value)) {
        const item = value[key];
        if (item === undefined) continue;
        const found = findNonJson(item, `${path}.${key}`, ancestors);
        if (found) return found;
      }
      ancestors.pop();
      return undefined;
    }
    default:
      return `${path} is a ${typeof value}, not a JSON value or a model`;
  }
}

/**
 * Throws `TypeError` for the first spread model inside a value about to be sent, which
 * `JSON.stringify` would silently send as `{}`. Models are not searched: their stores were checked
 * when data entered them, and `asDict()` checks the rest. Call it once `JSON.stringify` has
 * accepted the value, so that it has no cycle.
 */
export function refuseSpreadModels(value: unknown, where: string): void {
  const found = findSpreadModel(value, where);
  if (found !== undefined) throw spreadModelError(found);
}

function findSpreadModel(value: unknown, path: string): string | undefined {
  if (typeof value !== "object" || value === null || isModel(value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === "object" && item !== null) {
        const found = findSpreadModel(item, `${path}[${i}]`);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  if (storeBrand in value) return path;
  for (const key in value) {
    const item = value[key];
    if (typeof item === "object" && item !== null && Object.hasOwn(value, key)) {
      const found = findSpreadModel(item, `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
