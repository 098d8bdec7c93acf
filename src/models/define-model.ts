// The field table of a model class (M3, M4, M6): how each typed name maps to its wire name and is
// converted, and `defineModel`, which installs the typed view's accessors from it and records the
// metadata that construction and the mapping view read (src/models/model.ts).
import {
  type Field,
  type FieldInfo,
  META,
  Model,
  type ModelClass,
  type ModelMeta,
  type Visibility,
  adopt,
  checkJson,
  metaOf,
  wrapperOf,
} from "./model.js";
import { type WireObject, cloneWire, isPlainObject, storeBrand } from "./wire-values.js";

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
 *
 * A class that registers with no base (no `fixed` value that a polymorphic base picks it by) is
 * defined from a static field of its own, `static #defined = defineModel(this, () => ({ ... }))`
 * with the call marked `@__PURE__` and its table given as a function (so that its arguments call
 * nothing): a bundler then drops the class and its definition from a program that never uses it.
 * A polymorphic base and the classes it picks are defined by a call after them, which always runs.
 */
export function defineModel(
  cls: ModelClass,
  table: Record<string, FieldDeclaration> | (() => Record<string, FieldDeclaration>),
  options: DefineModelOptions = {},
): void {
  const declarations = typeof table === "function" ? table() : table;
  // Every model class descends from Model, whose metadata has no fields.
  const fields = new Map(metaOf(Object.getPrototypeOf(cls) as object).fields);
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
  if (options.fixed !== undefined) registerSubtype(cls, options.fixed);
}

/**
 * Registers `cls` with the nearest base class that is polymorphic on the key `cls` fixes, so that
 * wire data with that discriminator value becomes a `cls` (M4.4): `UserMessage` (role `user`) with
 * `ChatRequestMessage`. A class with no such base (a tool call's fixed `type`) registers nowhere.
 */
function registerSubtype(cls: ModelClass, fixed: { key: string; value: string }): void {
  for (let base = Object.getPrototypeOf(cls) as object; base !== Model; base = Object.getPrototypeOf(base)) {
    const meta = Object.hasOwn(base, META) ? metaOf(base) : undefined;
    if (meta?.discriminator === fixed.key) {
      meta.subtypes!.set(fixed.value, cls);
      return;
    }
  }
}

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
          isPlainObject(value)
            ? adopt(modelClass!(), cloneWire(value, where) as WireObject)
            : checkJson(value, where),
        read,
        materialize: read,
      };
    }
    case "list":
    case "content": {
      let wrap: ModelMeta["wrap"] | undefined;
      const read = (store: WireObject): unknown => {
        const value = store[wire];
        if (Array.isArray(value) && !isWrapped(value)) wrapList(value, (wrap ??= metaOf(modelClass!()).wrap));
        return value;
      };
      return {
        ...info,
        modelClass,
        toWire: (value, where) => {
          if (!Array.isArray(value)) return checkJson(value, where);
          const cls = modelClass!();
          return checkJson(
            value.map((item, i) =>
              isPlainObject(item) ? adopt(cls, cloneWire(item, `${where}[${i}]`) as WireObject) : item,
            ),
            where,
          );
        },
        read,
        materialize: read,
      };
    }
  }
}

/**
 * On a list of models: its length and last item when a read last found every item wrapped. A
 * non-enumerable property of the array, so JSON, copies and deep-equality checks never see it.
 */
const wrappedState = Symbol("ai-inference.wrapped-state");
type List = unknown[] & { [wrappedState]?: { length: number; last: unknown } };

/**
 * True when a list of models needs no wrapping (M3.3 as amended): a read found its items wrapped
 * at this length and with this last item (a `pop` then a `push` leaves the length as it was). This
 * keeps `list[i]` in a loop O(1). An item replaced in the middle of the list without changing its
 * length is not wrapped.
 */
function isWrapped(list: List): boolean {
  const state = list[wrappedState];
  const length = list.length;
  return state !== undefined && state.length === length && state.last === list[length - 1];
}

/**
 * Lists shorter than this record their state only on a read that found nothing to wrap (usually
 * the second): defining a property costs more than scanning a short list, and most lists (choices,
 * tool calls) are short and read once. Longer ones record it on the read that wraps them.
 */
const RECORD_AT_FIRST_READ = 64;

/** Wraps the plain objects of a list in place, and records its state (see `isWrapped`). */
function wrapList(list: List, wrap: ModelMeta["wrap"]): void {
  let wrapped = false;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (isPlainObject(item)) {
      list[i] = wrap(item);
      wrapped = true;
    }
  }
  if (wrapped && list.length < RECORD_AT_FIRST_READ) return;
  const state = { length: list.length, last: list[list.length - 1] };
  if (Object.hasOwn(list, wrappedState)) list[wrappedState] = state;
  else if (Object.isExtensible(list))
    Object.defineProperty(list, wrappedState, { value: state, writable: true });
}

function installAccessor(cls: ModelClass, field: Field): void {
  const { wire, read, toWire } = field;
  const where = `${cls.name}.${field.name}`;
  // Value and list fields, the most read, get getters of their own that read the store directly
  // (a list only calls `read` when it may need wrapping): one function shared by every field
  // sees every model class, and fewer calls in it keep `result.data[i]` loops fast.
  const get =
    field.kind === "value"
      ? function (this: Model) {
          return this[storeBrand][wire];
        }
      : field.kind === "list" || field.kind === "content"
        ? function (this: Model) {
            const store = this[storeBrand];
            const value = store[wire];
            return Array.isArray(value) && isWrapped(value) ? value : read(store);
          }
        : function (this: Model) {
            return read(this[storeBrand]);
          };
  Object.defineProperty(cls.prototype, field.name, {
    configurable: true,
    enumerable: false,
    get,
    set(this: Model, value: unknown) {
      const store = this[storeBrand];
      if (value === undefined) delete store[wire];
      else store[wire] = toWire(value, where);
    },
  });
}
