// OpenAI's strict mode (and Azure OpenAI's, which follows it): the subset of JSON Schema that the
// services compile into constrained decoding. A schema converted from a validation library is made
// to fit (every key required, optional ones nullable, no extra keys, `oneOf` as `anyOf`), and `null`
// in a key that was made nullable is read back as absent. A JSON Schema the user wrote is checked
// against the same rules and sent as written. What strict mode cannot express is an error before
// anything is sent (docs/structured-outputs.md lists the refused keywords).
import type { JsonSchemaObject } from "../../models/schema-inputs.js";
import { isPlainObject } from "../../models/wire-values.js";

/**
 * Keywords OpenAI's structured-outputs guide lists as not supported in strict mode ("Supported
 * schemas", "Some type-specific keywords are not yet supported"): composition and conditionals.
 * The guide lists string, number, object and array keywords (`minLength`, `pattern`, `minimum`,
 * `patternProperties`, `minItems`...) as unsupported only for fine-tuned models, which the SDK
 * cannot tell apart: those are sent, and such a model's service refuses them itself.
 */
export const STRICT_REFUSED_KEYWORDS: readonly string[] = [
  "allOf",
  "not",
  "dependentRequired",
  "dependentSchemas",
  "if",
  "then",
  "else",
];
const REFUSED = new Set(STRICT_REFUSED_KEYWORDS);

/** Keywords whose value is a schema, or a list or map of schemas. */
const SUBSCHEMA = new Set(["items", "additionalItems", "contains", "not", "if", "then", "else"]);
const SUBSCHEMA_LISTS = new Set(["anyOf", "oneOf", "allOf", "prefixItems"]);
const SUBSCHEMA_MAPS = new Set(["properties", "$defs", "definitions", "patternProperties"]);

/** A strict schema, with what reading an answer back needs. */
export interface StrictSchema {
  readonly jsonSchema: JsonSchemaObject;
  /** The answer with `null` removed from the keys that were made nullable; `undefined` when there are none. */
  readonly restoreOptional: ((value: unknown) => unknown) | undefined;
}

/** Thrown for what strict mode cannot express; `where` names the schema, `path` the place in it. */
function refuse(where: string, path: string, problem: string): TypeError {
  return new TypeError(
    `${where}: strict mode cannot express ${problem} at ${path || "the root"} ` +
      `(see "Strict mode" in docs/structured-outputs.md). Leave strict unset, or change the schema.`,
  );
}

/**
 * Makes a converted schema fit strict mode. `where` names the schema in errors. The input is not
 * changed; the result shares no object with it.
 */
export function toStrictSchema(schema: JsonSchemaObject, where: string): StrictSchema {
  const nullable = new WeakMap<object, Set<string>>();
  let madeNullable = false;

  const visit = (node: unknown, path: string): unknown => {
    if (typeof node === "boolean") {
      if (node) throw refuse(where, path, "an unconstrained schema (`true`)");
      return node;
    }
    if (!isPlainObject(node)) return node;
    const out: JsonSchemaObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (REFUSED.has(key)) throw refuse(where, path, `the keyword "${key}"`);
      const at = `${path}/${key}`;
      if (key === "oneOf" || key === "anyOf") {
        out.anyOf = list(value, at).map((item, i) => visit(item, `${at}/${i}`));
      } else if (SUBSCHEMA_LISTS.has(key)) {
        out[key] = list(value, at).map((item, i) => visit(item, `${at}/${i}`));
      } else if (SUBSCHEMA_MAPS.has(key) && isPlainObject(value)) {
        const map: JsonSchemaObject = {};
        for (const [name, item] of Object.entries(value)) map[name] = visit(item, `${at}/${name}`);
        out[key] = map;
      } else if (SUBSCHEMA.has(key)) {
        out[key] = visit(value, at);
      } else if (key === "additionalProperties") {
        // A schema for the extra keys (a record, a catchall) cannot be said; `true` or `{}` (extra
        // keys allowed, and stripped by the library) closes, since the model need not add any.
        if (isPlainObject(value) && Object.keys(value).length > 0) {
          throw refuse(where, path, "a schema for additional properties (a record or a catchall)");
        }
        out[key] = false;
      } else {
        out[key] = value;
      }
    }
    if (isObjectSchema(out)) {
      const properties = isPlainObject(out.properties) ? out.properties : {};
      const required = new Set(Array.isArray(out.required) ? (out.required as string[]) : []);
      const optional = new Set<string>();
      for (const name of Object.keys(properties)) {
        // A key whose schema takes null already keeps its null: it means null, not absent.
        if (required.has(name) || acceptsNull(properties[name])) continue;
        properties[name] = withNull(properties[name]);
        optional.add(name);
      }
      out.properties = properties;
      out.required = Object.keys(properties);
      out.additionalProperties = false;
      if (optional.size > 0) {
        nullable.set(out, optional);
        madeNullable = true;
      }
    }
    return out;
  };

  const jsonSchema = visit(schema, "") as JsonSchemaObject;
  checkRoot(jsonSchema, where);
  return {
    jsonSchema,
    restoreOptional: madeNullable ? (value) => restore(value, jsonSchema, jsonSchema, nullable) : undefined,
  };
}

/**
 * Checks a JSON Schema the user wrote against strict mode's rules, without changing it: the
 * refused keywords, every object closed (`additionalProperties: false`) with every key required,
 * and an object at the root.
 */
export function checkStrictSchema(schema: JsonSchemaObject, where: string): void {
  const check = (node: unknown, path: string): void => {
    if (typeof node === "boolean") {
      if (node) throw refuse(where, path, "an unconstrained schema (`true`)");
      return;
    }
    if (!isPlainObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (REFUSED.has(key)) throw refuse(where, path, `the keyword "${key}"`);
      const at = `${path}/${key}`;
      if (key === "oneOf") throw refuse(where, path, 'the keyword "oneOf" (write "anyOf")');
      if (SUBSCHEMA_LISTS.has(key)) list(value, at).forEach((item, i) => check(item, `${at}/${i}`));
      else if (SUBSCHEMA_MAPS.has(key) && isPlainObject(value))
        for (const [name, item] of Object.entries(value)) check(item, `${at}/${name}`);
      else if (SUBSCHEMA.has(key)) check(value, at);
    }
    if (isObjectSchema(node)) {
      if (node.additionalProperties !== false) {
        throw refuse(where, path, "an object without `additionalProperties: false`");
      }
      const required = new Set(Array.isArray(node.required) ? (node.required as unknown[]) : []);
      const missing = Object.keys(isPlainObject(node.properties) ? node.properties : {}).filter(
        (name) => !required.has(name),
      );
      if (missing.length > 0) {
        throw refuse(
          where,
          path,
          `an optional key (${missing.map((name) => `"${name}"`).join(", ")}: every key must be ` +
            `in "required"; make it nullable instead)`,
        );
      }
    }
  };
  check(schema, "");
  checkRoot(schema, where);
}

function checkRoot(schema: JsonSchemaObject, where: string): void {
  if (!isObjectSchema(schema)) throw refuse(where, "", 'a root that is not an object ("type": "object")');
}

function isObjectSchema(node: JsonSchemaObject): boolean {
  return node.type === "object" || (node.type === undefined && isPlainObject(node.properties));
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`The JSON Schema at ${path} must be a list of schemas.`);
  return value;
}

function acceptsNull(schema: unknown): boolean {
  if (!isPlainObject(schema)) return false;
  if (schema.type === "null" || (Array.isArray(schema.type) && schema.type.includes("null"))) return true;
  if (Array.isArray(schema.enum) && schema.enum.includes(null)) return true;
  return Array.isArray(schema.anyOf) && schema.anyOf.some(acceptsNull);
}

/** `schema` that also accepts `null`: `type: [t, "null"]` for a plain type, else `anyOf` with null. */
function withNull(schema: unknown): unknown {
  // An object schema keeps its identity (restore() finds its nullable keys by it): wrapped, not copied.
  if (
    isPlainObject(schema) &&
    typeof schema.type === "string" &&
    schema.type !== "null" &&
    schema.type !== "object"
  ) {
    const out: JsonSchemaObject = { ...schema, type: [schema.type, "null"] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) out.enum = [...schema.enum, null];
    return out;
  }
  if (isPlainObject(schema) && Array.isArray(schema.anyOf)) {
    return { ...schema, anyOf: [...schema.anyOf, { type: "null" }] };
  }
  return { anyOf: [schema, { type: "null" }] };
}

/**
 * `value` with the keys that strict mode made nullable removed where they are `null`, following
 * the schema: `$ref`s, array items, and the first `anyOf` branch whose shape fits an object.
 */
function restore(
  value: unknown,
  node: unknown,
  root: JsonSchemaObject,
  nullable: WeakMap<object, Set<string>>,
  depth = 0,
): unknown {
  if (!isPlainObject(node) || depth > 64) return value;
  const target = resolveRef(node, root);
  if (target !== node) return restore(value, target, root, nullable, depth + 1);
  if (Array.isArray(value)) {
    const items = node.items;
    return isPlainObject(items)
      ? value.map((item) => restore(item, items, root, nullable, depth + 1))
      : value;
  }
  if (!isPlainObject(value)) return value;
  if (Array.isArray(node.anyOf)) {
    const branch = node.anyOf.find((candidate) => fits(value, resolveRef(candidate, root)));
    return branch === undefined ? value : restore(value, branch, root, nullable, depth + 1);
  }
  const properties = isPlainObject(node.properties) ? node.properties : undefined;
  if (properties === undefined) return value;
  const optional = nullable.get(node);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null && optional?.has(key)) continue;
    Object.defineProperty(out, key, {
      value: Object.hasOwn(properties, key)
        ? restore(item, properties[key], root, nullable, depth + 1)
        : item,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** An object schema whose keys cover the value's, and whose `const`/`enum` keys agree with it. */
function fits(value: Record<string, unknown>, schema: unknown): boolean {
  if (!isPlainObject(schema) || !isPlainObject(schema.properties)) return false;
  const properties = schema.properties;
  return Object.entries(value).every(([key, item]) => {
    if (!Object.hasOwn(properties, key)) return false;
    const property = properties[key];
    if (!isPlainObject(property)) return true;
    if (Object.hasOwn(property, "const")) return property.const === item;
    if (Array.isArray(property.enum)) return property.enum.includes(item);
    return true;
  });
}

function resolveRef(node: unknown, root: JsonSchemaObject): unknown {
  if (!isPlainObject(node) || typeof node.$ref !== "string") return node;
  const ref = node.$ref;
  if (ref === "#") return root;
  const match = /^#\/(\$defs|definitions)\/(.+)$/.exec(ref);
  if (match === null) return node;
  const defs = root[match[1]];
  const name = decodeURIComponent(match[2]).replace(/~1/g, "/").replace(/~0/g, "~");
  return isPlainObject(defs) && Object.hasOwn(defs, name) ? defs[name] : node;
}
