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
  checkJson,
  metaOf,
  wrapperOf,
} from "./model.js";
import { type WireObject, isPlainObject, storeBrand } from "./wire-values.js";

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
