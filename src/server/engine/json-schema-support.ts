// What of a JSON Schema node-llama-cpp's grammar can enforce (S2.2). The grammar guarantees the
// reply is JSON of the schema's shape; keywords outside its subset (`pattern`, `minimum`,
// `format: email`...) can't be enforced. With `strict` the request is refused naming the keyword;
// without, such keywords are dropped (best effort) and the rest is enforced.

/** Keywords the grammar enforces. */
const enforced: ReadonlySet<string> = new Set([
  "type",
  "const",
  "enum",
  "oneOf",
  "anyOf",
  "minLength",
  "maxLength",
  "properties",
  "additionalProperties",
  "minProperties",
  "maxProperties",
  "required",
  "$defs",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "$ref",
  "format",
]);

/** Keywords that describe and never constrain: kept out of the grammar without complaint. */
const annotations: ReadonlySet<string> = new Set([
  "description",
  "title",
  "$schema",
  "$id",
  "$comment",
  "examples",
  "default",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

const enforcedFormats: ReadonlySet<string> = new Set(["date-time", "date", "time"]);
const primitiveTypes: ReadonlySet<string> = new Set([
  "string",
  "number",
  "integer",
  "boolean",
  "null",
  "object",
  "array",
]);

/** A keyword the grammar cannot enforce, and where it was. */
export interface UnenforceableKeyword {
  readonly keyword: string;
  /** Dotted path from the schema root to the keyword, e.g. `properties.email.format`. */
  readonly path: string;
}

/** The schema in the form the grammar takes, and what was dropped from it. */
export interface GrammarSchema {
  readonly schema: Record<string, unknown>;
  readonly unenforceable: readonly UnenforceableKeyword[];
  /** Places that should hold a schema and hold something else (`null`, a number...), by path. */
  readonly notSchemas: readonly string[];
  /**
   * Enum values, properties and `oneOf`/`anyOf`/`prefixItems` branches in all: what makes the
   * grammar large. Every generated token is checked against every alternative the grammar still
   * allows, so a 20,000-value enum makes each token about 400 times slower.
   */
  readonly alternatives: number;
}

/** The most alternatives (see `GrammarSchema.alternatives`) a schema may have for the grammar. */
export const maxGrammarAlternatives = 1000;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Rewrites a JSON Schema for the grammar: annotations removed, `anyOf` as `oneOf` (the grammar's
 * alternation), unenforceable keywords dropped and listed.
 */
export function toGrammarSchema(schema: Json): GrammarSchema {
  const unenforceable: UnenforceableKeyword[] = [];
  const notSchemas: string[] = [];
  let alternatives = 0;
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === "boolean") return node ? {} : unenforce("false", path);
    if (!isObject(node)) {
      // node-llama-cpp's converter dereferences it and throws a TypeError (issue 10's property test).
      notSchemas.push(path);
      return {};
    }
    const entries: [string, unknown][] = [];
    for (const [key, value] of Object.entries(node)) {
      const at = path === "" ? key : `${path}.${key}`;
      if (annotations.has(key)) continue;
      if (!enforced.has(key) || !isEnforceableValue(key, value)) {
        unenforceable.push({ keyword: key, path: at });
        continue;
      }
      entries.push([key === "anyOf" ? "oneOf" : key, walkKeyword(key, value, at)]);
    }
    return Object.fromEntries(entries);
  };
  const unenforce = (keyword: string, path: string) => {
    unenforceable.push({ keyword, path });
    return {};
  };
  const walkKeyword = (key: string, value: unknown, at: string): unknown => {
    if (key === "enum" || key === "oneOf" || key === "anyOf" || key === "prefixItems") {
      alternatives += (value as unknown[]).length;
    } else if (key === "properties") {
      alternatives += Object.keys(value as Json).length;
    }
    switch (key) {
      case "properties":
      case "$defs":
        return Object.fromEntries(
          Object.entries(value as Json).map(([name, sub]) => [name, walk(sub, `${at}.${name}`)]),
        );
      case "items":
      case "additionalProperties":
        return typeof value === "boolean" ? value : walk(value, at);
      case "oneOf":
      case "anyOf":
      case "prefixItems":
        return (value as unknown[]).map((sub, index) => walk(sub, `${at}[${index}]`));
      default:
        return value;
    }
  };
  return { schema: walk(schema, "") as Json, unenforceable, notSchemas, alternatives };
}

/** Shapes the grammar takes for each enforced keyword; anything else is treated as unenforceable. */
function isEnforceableValue(key: string, value: unknown): boolean {
  switch (key) {
    case "type":
      return typeof value === "string"
        ? primitiveTypes.has(value)
        : Array.isArray(value) && value.every((t) => typeof t === "string" && primitiveTypes.has(t));
    case "format":
      return typeof value === "string" && enforcedFormats.has(value);
    case "$ref":
      return typeof value === "string" && value.startsWith("#/$defs/");
    case "properties":
    case "$defs":
      return isObject(value);
    case "oneOf":
    case "anyOf":
    case "prefixItems":
      return Array.isArray(value);
    case "enum":
      return Array.isArray(value) && value.every(isLiteral);
    case "required":
      return Array.isArray(value) && value.every((name) => typeof name === "string");
    case "items":
    case "additionalProperties":
      return typeof value === "boolean" || isObject(value);
    case "const":
      return isLiteral(value);
    default:
      return typeof value === "number" && Number.isInteger(value) && value >= 0;
  }
}

/** The values the grammar can spell out literally. */
function isLiteral(value: unknown): boolean {
  return value === null || ["string", "number", "boolean"].includes(typeof value);
}
