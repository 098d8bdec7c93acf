/**
 * The model base (spec M1–M6): one store keyed by wire names, seen through two views. The typed view
 * is the camelCase accessors that `defineModel` installs from a field table; the mapping view is the
 * reference's dictionary API (`get`, `keys`, `pop`, `update`...) plus JavaScript's `Map` idiom.
 *
 * The store is the parsed JSON object itself: `fromJSON` adopts `JSON.parse`'s result and nested
 * models are built the first time they are read, in place, so that wrapping costs almost nothing
 * until a field is used (quality.md Q4, models rows).
 */
import { KeyError } from "./key-error.js";
import {
  type WireObject,
  findNonJson,
  isPlainObject,
  putKey,
  cloneWire,
  storeBrand,
  toPlain,
  wireEquals,
} from "./wire-values.js";

export type { WireObject } from "./wire-values.js";

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

interface Field extends FieldInfo {
  /** The class of nested models, resolved lazily so that files may refer to classes defined later. */
  readonly modelClass?: () => ModelClass;
  /** Converts a typed-view value into its stored wire form (M3.4, M6 `set`). */
  toWire(value: unknown, where: string): unknown;
  /** Typed-view read: dates become `Date`, model fields are wrapped (M3.2, M4.1). */
  read(store: WireObject): unknown;
  /** Mapping-view read: model fields are wrapped, everything else is the stored value (M4.6). */
  materialize(store: WireObject): unknown;
}

interface ModelMeta {
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

const META = Symbol("ai-inference.model-meta");
const ADOPT = Symbol("ai-inference.adopt");
let adopting: WireObject | undefined;

/**
 * True for the token `adopt` passes through constructors. Subclass constructors that rework their
 * arguments (messages with positional content) hand it to `super` unchanged.
 */
export function isAdoptToken(value: unknown): boolean {
  return value === ADOPT;
}
const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

function metaOf(cls: object): ModelMeta {
  return (cls as { [META]: ModelMeta })[META];
}

/** Wraps `data` (which the model may own from now on) without copying, choosing the subclass. */
export function adopt<T extends Model>(cls: ModelClass<T>, data: WireObject): T {
  // A subclass made by a user (no defineModel of its own) inherits its parent's metadata, but its
  // instances must still be of its own class.
  return (Object.hasOwn(cls, META) ? metaOf(cls).wrap(data) : construct(cls, data)) as T;
}

function construct<T extends Model>(cls: ModelClass<T>, data: WireObject): T {
  adopting = data;
  // `new` with a token, rather than Reflect.construct or Object.create: measured the fastest way to
  // make an instance, and model construction is most of what wrapping costs.
  return new (cls as unknown as new (token: symbol) => T)(ADOPT);
}

/** The per-class wrap function of ModelMeta. */
function wrapperOf(
  cls: ModelClass,
  discriminator: string | undefined,
  subtypes: Map<string, ModelClass> | undefined,
) {
  if (subtypes === undefined) return (data: WireObject): Model => construct(cls, data);
  return (data: WireObject): Model => {
    const tag = data[discriminator!];
    const sub =
      typeof tag === "string" && Object.hasOwn(data, discriminator!) ? subtypes.get(tag) : undefined;
    return sub === undefined ? construct(cls, data) : metaOf(sub).wrap(data);
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
    if (attributes === (ADOPT as unknown)) {
      this[storeBrand] = adopting!;
      adopting = undefined;
      return;
    }
    this[storeBrand] = buildFromAttributes(new.target, attributes);
  }

  /**
   * Wraps a wire object (snake_case keys, as received). Every key is kept in order and nothing is
   * added, removed or rewritten; shapes and types are not checked (M2.2). The object is copied, so
   * the model never writes into something the caller still holds.
   */
  static fromDict<T extends Model>(this: ModelClass<T>, wire: WireObject): T {
    if (!isPlainObject(wire)) {
      throw new TypeError(
        `${this.name}.fromDict expects a plain object of wire data, got ${describe(wire)}.`,
      );
    }
    return adopt(this, cloneWire(wire) as WireObject);
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
    return Object.hasOwn(this[storeBrand], key) ? this.#materialize(key) : fallback;
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
    return Object.keys(this[storeBrand]).map((key) => this.#materialize(key));
  }

  items(): [string, unknown][] {
    return Object.keys(this[storeBrand]).map((key) => [key, this.#materialize(key)]);
  }

  *[Symbol.iterator](): Iterator<[string, unknown]> {
    for (const key of Object.keys(this[storeBrand])) {
      if (Object.hasOwn(this[storeBrand], key)) yield [key, this.#materialize(key)];
    }
  }

  /** Removes and returns the value; a missing key returns the fallback when one is passed, else throws `KeyError`. */
  pop(key: string, ...fallback: [unknown?]): unknown {
    if (!Object.hasOwn(this[storeBrand], key)) {
      if (fallback.length > 0) return fallback[0];
      throw new KeyError(key);
    }
    const value = this.#materialize(key);
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
  update(other: Model | WireObject | Iterable<readonly [string, unknown]>): this {
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

  /** A deep copy of the same class; changing it never changes the original. */
  copy(): this {
    return adopt(this.constructor as ModelClass<this>, cloneWire(this[storeBrand]) as WireObject);
  }

  /**
   * A new plain JSON-safe object in wire form, nested models converted, key order kept.
   * `excludeReadonly` drops read-only fields at every level.
   */
  asDict(options?: { excludeReadonly?: boolean }): WireObject {
    const excludeReadonly = options?.excludeReadonly === true;
    const data = this[storeBrand];
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

  #materialize(key: string): unknown {
    const field = metaOf(this.constructor).byWire.get(key);
    return field === undefined ? this[storeBrand][key] : field.materialize(this[storeBrand]);
  }
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

function checkJson(value: unknown, where: string): unknown {
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

// ---- field table ------------------------------------------------------------------------------

/** How one field of a model is declared; built with the `field` helpers. */
export interface FieldDeclaration {
  readonly kind: FieldInfo["kind"];
  readonly wire?: string;
  readonly visibility?: readonly Visibility[];
  readonly modelClass?: () => ModelClass;
}

const ALL_VISIBILITIES: readonly Visibility[] = Object.freeze([
  "read",
  "create",
  "update",
  "delete",
  "query",
]);

type FieldOptions = { wire?: string; visibility?: readonly Visibility[] };

/** Field declarations for `defineModel`. The wire name defaults to the snake_case of the typed name. */
export const field = {
  value: (options?: FieldOptions): FieldDeclaration => ({ kind: "value", ...options }),
  date: (options?: FieldOptions): FieldDeclaration => ({ kind: "date", ...options }),
  model: (modelClass: () => ModelClass, options?: FieldOptions): FieldDeclaration => ({
    kind: "model",
    modelClass,
    ...options,
  }),
  list: (modelClass: () => ModelClass, options?: FieldOptions): FieldDeclaration => ({
    kind: "list",
    modelClass,
    ...options,
  }),
  /** A string, or an array of models (message content). */
  content: (modelClass: () => ModelClass, options?: FieldOptions): FieldDeclaration => ({
    kind: "content",
    modelClass,
    ...options,
  }),
};

export interface DefineModelOptions {
  /** Sets this discriminator first in the attribute form, and registers the class with its base (M4.4). */
  fixed?: { key: string; value: string };
  /** Makes this class a polymorphic base that picks a subclass by this key when built from wire data. */
  discriminator?: string;
}

/**
 * Installs the typed view of `cls` from its field table (inherited fields included) and records
 * the metadata that construction and the mapping view use.
 */
export function defineModel(
  cls: ModelClass,
  declarations: Record<string, FieldDeclaration>,
  options: DefineModelOptions = {},
): void {
  const parent = Object.getPrototypeOf(cls) as object;
  const inherited = parent === Model || !(META in parent) ? undefined : metaOf(parent);
  const fields = new Map(inherited?.fields);
  for (const name of Object.keys(declarations)) {
    const built = buildField(cls.name, name, declarations[name]);
    fields.set(name, built);
    installAccessor(cls, built);
  }
  const subtypes = options.discriminator === undefined ? undefined : new Map<string, ModelClass>();
  const meta: ModelMeta = {
    fields,
    byWire: new Map([...fields.values()].map((f) => [f.wire, f])),
    fixed: options.fixed,
    discriminator: options.discriminator,
    subtypes,
    wrap: wrapperOf(cls, options.discriminator, subtypes),
  };
  Object.defineProperty(cls, META, { value: meta });
  if (options.fixed !== undefined) {
    for (let base: object | undefined = inherited && parent; base; base = Object.getPrototypeOf(base)) {
      const baseMeta = META in base ? metaOf(base) : undefined;
      if (baseMeta?.subtypes !== undefined && baseMeta.discriminator === options.fixed.key) {
        baseMeta.subtypes.set(options.fixed.value, cls);
        break;
      }
    }
  }
}
Object.defineProperty(Model, META, {
  value: { fields: new Map(), byWire: new Map(), wrap: (data) => construct(Model, data) } satisfies ModelMeta,
});

function buildField(className: string, name: string, declaration: FieldDeclaration): Field {
  const wire = declaration.wire ?? name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  // Typed getters read `store[wire]` without an own-key check; that is only safe for names that no
  // object inherits, and a typed name must not hide a mapping-view method.
  if (wire in Object.prototype)
    throw new Error(`${className}: wire name "${wire}" is an Object.prototype key.`);
  if (name in Model.prototype) throw new Error(`${className}: field "${name}" hides a Model method.`);
  const visibility = Object.freeze([...(declaration.visibility ?? ALL_VISIBILITIES)]);
  const info = {
    name,
    wire,
    kind: declaration.kind,
    visibility,
    readonly: visibility.length === 1 && visibility[0] === "read",
  };
  const modelClass = declaration.modelClass;
  switch (declaration.kind) {
    case "value":
      return {
        ...info,
        toWire: checkJson,
        read: (store) => store[wire],
        materialize: (store) => store[wire],
      };
    case "date":
      return {
        ...info,
        toWire: (value, where) => {
          if (!(value instanceof Date)) return checkJson(value, where);
          const ms = value.getTime();
          if (!Number.isFinite(ms)) throw new TypeError(`Cannot store ${where}: the Date is invalid.`);
          return Math.floor(ms / 1000);
        },
        read: (store) => {
          const value = store[wire];
          return typeof value === "number" && Number.isFinite(value) ? new Date(value * 1000) : value;
        },
        materialize: (store) => store[wire],
      };
    case "model": {
      let wrap: ModelMeta["wrap"] | undefined;
      const read = (store: WireObject): unknown => {
        const value = store[wire];
        if (!isPlainObject(value)) return value;
        const model = (wrap ??= metaOf(modelClass!()).wrap)(value);
        store[wire] = model;
        return model;
      };
      return {
        ...info,
        modelClass,
        toWire: (value, where) =>
          isPlainObject(value) ? (modelClass!() as typeof Model).fromDict(value) : checkJson(value, where),
        read,
        materialize: read,
      };
    }
    case "list":
    case "content": {
      let wrap: ModelMeta["wrap"] | undefined;
      const read = (store: WireObject): unknown => {
        const value = store[wire];
        if (Array.isArray(value)) wrapInPlace(value, (wrap ??= metaOf(modelClass!()).wrap));
        return value;
      };
      return {
        ...info,
        modelClass,
        toWire: (value, where) => {
          if (!Array.isArray(value)) return checkJson(value, where);
          const cls = modelClass!() as typeof Model;
          return checkJson(
            value.map((item) => (isPlainObject(item) ? cls.fromDict(item) : item)),
            where,
          );
        },
        read,
        materialize: read,
      };
    }
  }
}

function wrapInPlace(list: unknown[], wrap: ModelMeta["wrap"]): void {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (isPlainObject(item)) list[i] = wrap(item);
  }
}

function installAccessor(cls: ModelClass, field: Field): void {
  const { wire, read, toWire } = field;
  const where = `${cls.name}.${field.name}`;
  Object.defineProperty(cls.prototype, field.name, {
    configurable: true,
    enumerable: false,
    get(this: Model) {
      return read(this[storeBrand]);
    },
    set(this: Model, value: unknown) {
      const store = this[storeBrand];
      if (value === undefined) delete store[wire];
      else store[wire] = toWire(value, where);
    },
  });
}

// ---- attribute types ----------------------------------------------------------------------------

/** What a typed field accepts when constructing: `Date | number` for dates, models or wire objects for models. */
export type AttributeInput<V> = V extends Date
  ? Date | number
  : V extends Model
    ? V | WireObject
    : V extends readonly (infer E)[]
      ? AttributeInput<E>[]
      : V;

type DataKeys<T> = {
  [K in keyof T]: K extends keyof Model ? never : T[K] extends (...args: never[]) => unknown ? never : K;
}[keyof T];

/** The attribute object of `new X(attributes)`: every typed field of `X`, optional. */
export type Attributes<T> = { [K in DataKeys<T>]?: AttributeInput<T[K]> };
