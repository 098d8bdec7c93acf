/**
 * The model base (spec M1–M6): one store keyed by wire names, seen through two views. The typed view
 * is the camelCase accessors that `defineModel` (define-model.ts) installs from a field table; the mapping view is the
 * reference's dictionary API (`get`, `keys`, `pop`, `update`...) plus JavaScript's `Map` idiom.
 *
 * The store is the parsed JSON object itself: `fromJSON` adopts `JSON.parse`'s result and nested
 * models are built the first time they are read, in place, so that wrapping costs almost nothing
 * until a field is used (quality.md Q4, models rows).
 */
import { KeyError } from "./key-error.js";
import {
  type WireInput,
  type WireObject,
  findNonJson,
  isPlainObject,
  isSpreadModel,
  modelBrand,
  putKey,
  cloneWire,
  spreadModelError,
  storeBrand,
  toPlain,
  wireEquals,
} from "./wire-values.js";

export type { WireInput, WireObject } from "./wire-values.js";

/** Who may see a field, as in the service's specification (TypeSpec `@visibility`). */
export type Visibility = "read" | "create" | "update" | "delete" | "query";

/** Field metadata: the typed name, the wire name, how values are converted, and visibility. */
export interface FieldInfo {
  /** The typed-view (camelCase) name. */
  readonly name: string;
  /** The JSON key on the wire (snake_case). */
  readonly wire: string;
  /** `value`: stored and returned as is; `date`: seconds on the wire, `Date` in the typed view;
   * `model`: a nested model; `list`: an array of models; `content`: a string or an array of models. */
  readonly kind: "value" | "date" | "model" | "list" | "content";
  readonly visibility: readonly Visibility[];
  /** True when the field may only be read (visibility is exactly `read`): `asDict({ excludeReadonly })` drops it. */
  readonly readonly: boolean;
}

export interface Field extends FieldInfo {
  /** The class of nested models, resolved lazily so that files may refer to classes defined later. */
  readonly modelClass?: () => ModelClass;
  /** Converts a typed-view value into its stored wire form (M3.4, M6 `set`). */
  toWire(value: unknown, where: string): unknown;
  /** Typed-view read: dates become `Date`, model fields are wrapped (M3.2, M4.1). */
  read(store: WireObject): unknown;
  /** Mapping-view read: model fields are wrapped, everything else is the stored value (M4.6). */
  materialize(store: WireObject): unknown;
}

export interface ModelMeta {
  readonly fields: ReadonlyMap<string, Field>;
  readonly byWire: ReadonlyMap<string, Field>;
  /** A discriminator this class always writes first in the attribute form (M2.4, M2.5). */
  readonly fixed?: { readonly key: string; readonly value: string };
  /** On a polymorphic base: the discriminator key and the subclass for each known value (M4.4). */
  readonly discriminator?: string;
  readonly subtypes?: Map<string, ModelClass>;
  /**
   * Wraps wire data as an instance of this class (or, on a polymorphic base, of the subclass its
   * discriminator names). One closure per class keeps each `new` site monomorphic: wrapping is on
   * the hot path of every response and every streamed chunk.
   */
  readonly wrap: (data: WireObject) => Model;
}

/** A model class, as the field table and the factories see it. */
export type ModelClass<T extends Model = Model> = (abstract new (...args: never[]) => T) & { name: string };

export const META = Symbol("ai-inference.model-meta");
const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/** @internal The metadata `defineModel` recorded for a class (inherited when it recorded none). */
export function metaOf(cls: object): ModelMeta {
  return (cls as { [META]: ModelMeta })[META];
}

/** Wraps `data` (which the model may own from now on) without copying, choosing the subclass. */
export function adopt<T extends Model>(cls: ModelClass<T>, data: WireObject): T {
  // A subclass made by a user (no defineModel of its own) inherits its parent's metadata, but its
  // instances must still be of its own class.
  return (Object.hasOwn(cls, META) ? metaOf(cls).wrap(data) : constructSubclass(cls, data)) as T;
}

/** An instance of `cls` (wrapped exactly, never a subclass chosen by discriminator) over `data`. */
function construct<T extends Model>(cls: ModelClass<T>, data: WireObject): T {
  return Object.hasOwn(cls, META) ? instantiate(cls, data) : constructSubclass(cls, data);
}

/**
 * An instance of one of the SDK's classes over `data`, made without running a constructor: theirs
 * only rework their arguments (messages take content positionally) and declare no fields. As cheap
 * as `new` (measured), and cheaper than `Reflect.construct`, which allocates its argument list.
 */
function instantiate<T extends Model>(cls: ModelClass<T>, data: WireObject): T {
  const model = Object.create(cls.prototype) as T;
  model[storeBrand] = data;
  return model;
}

/**
 * An instance of a class that extends the SDK's (a user's, or a helper's such as the parsed
 * message) over `data`: its constructor is called with no arguments, so that its fields and
 * `#private` members exist, then the instance is given the data. Its constructor never sees the
 * data, so one that reworks its argument (`super({ ...attributes })`) cannot lose it.
 */
function constructSubclass<T extends Model>(cls: ModelClass<T>, data: WireObject): T {
  let model: T;
  try {
    model = new (cls as unknown as new () => T)();
  } catch (error) {
    throw new TypeError(
      `${cls.name} is built from wire data (fromDict, fromJSON, copy) by calling its constructor with ` +
        `no arguments, which threw: ${error instanceof Error ? error.message : String(error)}. ` +
        "Let its constructor be called with no arguments.",
      { cause: error },
    );
  }
  model[storeBrand] = data;
  return model;
}

/** The per-class wrap function of ModelMeta. */
export function wrapperOf(
  cls: ModelClass,
  discriminator: string | undefined,
  subtypes: Map<string, ModelClass> | undefined,
) {
  if (subtypes === undefined) return (data: WireObject): Model => instantiate(cls, data);
  return (data: WireObject): Model => {
    const tag = data[discriminator!];
    const sub =
      typeof tag === "string" && Object.hasOwn(data, discriminator!) ? subtypes.get(tag) : undefined;
    return sub === undefined ? instantiate(cls, data) : metaOf(sub).wrap(data);
  };
}

/**
 * The base of every model. Construct a subclass from typed attributes (`new ChatChoice({...})`) or
 * from wire data (`ChatCompletions.fromDict(json)`, `ChatCompletions.fromJSON(text)`).
 */
export class Model implements Iterable<[string, unknown]> {
  /**
   * The store. A symbol-keyed property rather than a `#private` field: private fields made model
   * construction four times slower (measured on Node 20), and the symbol is not exported.
   * @internal
   */
  declare [storeBrand]: WireObject;

  /** @param attributes typed-view (camelCase) names; unknown names throw `TypeError` (M2.1). */
  constructor(attributes?: object) {
    this[storeBrand] = buildFromAttributes(new.target, attributes);
  }

  /**
   * Wraps a wire object (snake_case keys, as received). Every key is kept in order and nothing is
   * added, removed or rewritten; shapes and types are not checked (M2.2). The object is copied, so
   * the model never writes into something the caller still holds.
   */
  static fromDict<T extends Model>(this: ModelClass<T>, wire: WireInput): T {
    if (!isPlainObject(wire)) {
      throw new TypeError(
        `${this.name}.fromDict expects a plain object of wire data, got ${describe(wire)}.`,
      );
    }
    return adopt(this, cloneWire(wire, `${this.name}.fromDict: wire`) as WireObject);
  }

  /** Parses JSON text of a wire object (M2.3). */
  static fromJSON<T extends Model>(this: ModelClass<T>, text: string): T {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new SyntaxError(
        `${this.name}.fromJSON: the text is not valid JSON (${(error as Error).message}).`,
        {
          cause: error,
        },
      );
    }
    if (!isPlainObject(data)) {
      throw new TypeError(`${this.name}.fromJSON expects a JSON object, got ${describe(data)}.`);
    }
    return adopt(this, data);
  }

  /** Field metadata of this class: typed name, wire name, kind, visibility. */
  static fieldInfo(this: ModelClass): FieldInfo[] {
    return [...metaOf(this).fields.values()].map(({ name, wire, kind, visibility, readonly }) => ({
      name,
      wire,
      kind,
      visibility,
      readonly,
    }));
  }

  // ---- mapping view (M6) -------------------------------------------------------------------

  /** The stored value, or `fallback` only when the key is absent (a stored `null` is returned). */
  get(key: string, fallback?: unknown): unknown {
    return Object.hasOwn(this[storeBrand], key) ? materialize(this, key) : fallback;
  }

  /** Stores `value` under the wire key, converted to wire form for known fields; `undefined` deletes. */
  set(key: string, value: unknown): this {
    if (value === undefined) {
      delete this[storeBrand][key];
      return this;
    }
    const field = metaOf(this.constructor).byWire.get(key);
    const where = `${this.constructor.name}["${key}"]`;
    putKey(this[storeBrand], key, field ? field.toWire(value, where) : checkJson(value, where));
    return this;
  }

  has(key: string): boolean {
    return Object.hasOwn(this[storeBrand], key);
  }

  /** Removes the key; returns whether it was present. */
  delete(key: string): boolean {
    if (!Object.hasOwn(this[storeBrand], key)) return false;
    delete this[storeBrand][key];
    return true;
  }

  get size(): number {
    return Object.keys(this[storeBrand]).length;
  }

  keys(): string[] {
    return Object.keys(this[storeBrand]);
  }

  values(): unknown[] {
    return Object.keys(this[storeBrand]).map((key) => materialize(this, key));
  }

  items(): [string, unknown][] {
    return Object.keys(this[storeBrand]).map((key) => [key, materialize(this, key)]);
  }

  *[Symbol.iterator](): Iterator<[string, unknown]> {
    for (const key of Object.keys(this[storeBrand])) {
      if (Object.hasOwn(this[storeBrand], key)) yield [key, materialize(this, key)];
    }
  }

  /** Removes and returns the value; a missing key returns the fallback when one is passed, else throws `KeyError`. */
  pop(key: string, ...fallback: [unknown?]): unknown {
    if (!Object.hasOwn(this[storeBrand], key)) {
      if (fallback.length > 0) return fallback[0];
      throw new KeyError(key);
    }
    const value = materialize(this, key);
    delete this[storeBrand][key];
    return value;
  }

  /** Removes and returns the last `[key, value]` in key order (the last inserted, for non-integer keys). */
  popItem(): [string, unknown] {
    const keys = Object.keys(this[storeBrand]);
    if (keys.length === 0) throw new KeyError(undefined, `popItem(): ${this.constructor.name} is empty.`);
    const key = keys[keys.length - 1];
    return [key, this.pop(key)];
  }

  /** Returns the value when present; otherwise stores `fallback` (`null` when omitted) and returns it. */
  setDefault(key: string, fallback: unknown = null): unknown {
    if (!Object.hasOwn(this[storeBrand], key)) this.set(key, fallback);
    return this.get(key);
  }

  /** Sets every pair of `other`: a model, a plain wire object, or an iterable of `[key, value]`. */
  update(other: Model | WireInput | Iterable<readonly [string, unknown]>): this {
    if (isSpreadModel(other)) throw spreadModelError(`${this.constructor.name}.update(other): other`);
    if (other instanceof Model) {
      for (const [key, value] of other) this.set(key, value);
    } else if (isPlainObject(other)) {
      for (const key of Object.keys(other)) this.set(key, other[key]);
    } else if (other !== null && typeof (other as Iterable<unknown>)?.[Symbol.iterator] === "function") {
      for (const pair of other as Iterable<readonly [string, unknown]>) {
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string") {
          throw new TypeError(`update() expects [key, value] pairs with string keys, got ${describe(pair)}.`);
        }
        this.set(pair[0], pair[1]);
      }
    } else {
      throw new TypeError(
        `update() expects a model, a plain object or an iterable of [key, value] pairs, got ${describe(other)}.`,
      );
    }
    return this;
  }

  /** Removes every key. */
  clear(): void {
    this[storeBrand] = {};
  }

  /** A deep copy of the same class (a subclass is never chosen anew); changing it never changes the original. */
  copy(): this {
    const cls = this.constructor as ModelClass<this>;
    return construct(cls, cloneWire(this[storeBrand], `${cls.name}.copy()`) as WireObject);
  }

  /**
   * A new plain JSON-safe object in wire form, nested models converted, key order kept.
   * `excludeReadonly` drops read-only fields at every level.
   */
  asDict(options?: { excludeReadonly?: boolean }): WireObject {
    const excludeReadonly = options?.excludeReadonly === true;
    const data = this[storeBrand];
    // A spread model pushed straight into a list of models was wrapped like wire data: it has none.
    if (storeBrand in data)
      throw spreadModelError(`A ${this.constructor.name} put straight into a list of models`);
    const byWire = excludeReadonly ? metaOf(this.constructor).byWire : undefined;
    const out: WireObject = {};
    for (const key in data) {
      if (!Object.hasOwn(data, key)) continue;
      if (byWire === undefined) {
        putKey(out, key, toPlain(data[key], false));
        continue;
      }
      const field = byWire.get(key);
      if (field?.readonly) continue;
      // Nested models not read yet are still plain objects: wrap them so their own fields' visibility applies.
      putKey(out, key, toPlain(field === undefined ? data[key] : field.materialize(data), true));
    }
    return out;
  }

  /** `asDict()`, so `JSON.stringify(model)` gives the wire JSON. */
  toJSON(): WireObject {
    return this.asDict();
  }

  /** Deep equality of wire forms with a model of any class or a plain wire object (M6). */
  equals(other: unknown): boolean {
    if (isSpreadModel(other)) throw spreadModelError(`${this.constructor.name}.equals(other): other`);
    if (!(other instanceof Model) && !isPlainObject(other)) return false;
    return wireEquals(this[storeBrand], other);
  }

  /** The wire JSON, indented. */
  toString(): string {
    return JSON.stringify(this.asDict(), null, 2);
  }

  [inspectSymbol](
    _depth: number,
    options: object,
    inspect: (value: unknown, options: object) => string,
  ): string {
    return `${this.constructor.name} ${inspect(this.asDict(), options)}`;
  }
}

/** A mapping-view read of a key (M4.6). A function, not a `#private` method: instances are made without a constructor. */
function materialize(model: Model, key: string): unknown {
  const field = metaOf(model.constructor).byWire.get(key);
  return field === undefined ? model[storeBrand][key] : field.materialize(model[storeBrand]);
}

function buildFromAttributes(cls: object, attributes: object | undefined): WireObject {
  const meta = metaOf(cls);
  const name = (cls as { name: string }).name;
  const data: WireObject = {};
  if (meta.fixed !== undefined) data[meta.fixed.key] = meta.fixed.value;
  if (attributes === undefined || attributes === null) return data;
  if (!isPlainObject(attributes)) {
    throw new TypeError(`new ${name}() expects an object of attributes, got ${describe(attributes)}.`);
  }
  for (const attribute of Object.keys(attributes)) {
    const field = meta.fields.get(attribute);
    if (field === undefined) throw unknownAttribute(name, attribute, meta);
    const value = attributes[attribute];
    if (value === undefined) continue;
    if (meta.fixed !== undefined && field.wire === meta.fixed.key) {
      if (value !== meta.fixed.value) {
        throw new TypeError(`${name}.${attribute} is always "${meta.fixed.value}", got ${describe(value)}.`);
      }
      continue;
    }
    putKey(data, field.wire, field.toWire(value, `${name}.${attribute}`));
  }
  return data;
}

function unknownAttribute(className: string, attribute: string, meta: ModelMeta): TypeError {
  const byWire = meta.byWire.get(attribute);
  const hint = byWire
    ? ` Did you mean "${byWire.name}"? Attributes use typed (camelCase) names; fromDict() takes wire names.`
    : ` Known attributes: ${[...meta.fields.keys()].join(", ")}. Keys outside the model go through set() or fromDict().`;
  return new TypeError(`${className} got an unexpected attribute "${attribute}".${hint}`);
}

/** Returns `value` when JSON (or models) can carry it; otherwise throws `TypeError` naming `where`. */
export function checkJson(value: unknown, where: string): unknown {
  const problem = findNonJson(value, where);
  if (problem !== undefined) throw new TypeError(`Cannot store ${problem}.`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return `a ${value.constructor?.name ?? "object"}`;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? value.slice(0, 40) + "…" : value);
  return `${typeof value} ${String(value)}`;
}

Object.defineProperty(Model, META, {
  value: {
    fields: new Map(),
    byWire: new Map(),
    wrap: (data) => instantiate(Model, data),
  } satisfies ModelMeta,
});
Object.defineProperty(Model.prototype, modelBrand, { value: true });

// ---- attribute types ----------------------------------------------------------------------------

/**
 * What a typed field accepts when constructing or setting: `Date | number` for dates, models or
 * wire objects (any object type) for models, read-only arrays for lists, any object type for
 * free-form JSON objects (a JSON schema, function parameters).
 */
export type AttributeInput<V> = V extends Date
  ? Date | number
  : V extends Model
    ? V | WireInput
    : V extends readonly (infer E)[]
      ? readonly AttributeInput<E>[]
      : string extends keyof V
        ? V | WireInput
        : V;

type IfEqual<X, Y, A, B> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? A : B;

/** Keys of `T` that are fields: neither Model's own members, nor methods, nor read-only (`text`). */
type DataKeys<T> = {
  [K in keyof T]-?: K extends keyof Model
    ? never
    : T[K] extends (...args: never[]) => unknown
      ? never
      : IfEqual<{ [Q in K]: T[K] }, { -readonly [Q in K]: T[K] }, K, never>;
}[keyof T];

/** The attribute object of `new X(attributes)`: every typed field of `X`, optional. */
export type Attributes<T> = { [K in DataKeys<T>]?: AttributeInput<T[K]> };
