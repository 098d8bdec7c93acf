// Validation against a plain JSON Schema with @cfworker/json-schema: small, no dependencies, all
// drafts from 4 to 2020-12, and no code generation (Ajv compiles with `new Function`, which
// Cloudflare Workers and pages with a strict CSP forbid). Loaded on first use, so that Zod users
// and the tool loop without JSON Schema tools never load it.
import type { SchemaIssue } from "../../errors.js";
import type { JsonSchemaObject } from "../../models/schema-inputs.js";
import type * as CfWorkerModule from "@cfworker/json-schema";
import type { SchemaCheck } from "./schema-check.js";

type CfWorker = typeof CfWorkerModule;
type Draft = "4" | "7" | "2019-09" | "2020-12";
type OutputUnit = { keyword: string; keywordLocation: string; instanceLocation: string; error: string };

let loading: Promise<CfWorker> | undefined;

/** A checker for `schema`; the value it returns on success is the value it was given. */
export async function compileJsonSchema(schema: JsonSchemaObject): Promise<(value: unknown) => SchemaCheck> {
  loading ??= import("@cfworker/json-schema");
  const { Validator } = await loading;
  // All errors, not just the first: they go back to the model or into the error, in one go.
  const validator = new Validator(schema as never, draftOf(schema), false);
  return (value) => {
    const result = validator.validate(value);
    return result.valid ? { ok: true, value } : { ok: false, issues: toIssues(result.errors) };
  };
}

/** The draft a schema declares in `$schema`; 2020-12 (what Zod and OpenAI write) when it declares none. */
function draftOf(schema: JsonSchemaObject): Draft {
  const declared = typeof schema.$schema === "string" ? schema.$schema : "";
  if (/draft-0?4\b/.test(declared)) return "4";
  if (/draft-0?[67]\b/.test(declared)) return "7";
  if (declared.includes("2019-09")) return "2019-09";
  return "2020-12";
}

/**
 * The validator reports each failure and then every enclosing keyword that failed because of it
 * ("Property "a" does not match schema."). Only the innermost ones say something: the enclosing
 * ones are dropped, and so is the bare "False boolean schema." under `additionalProperties: false`,
 * whose parent names the extra property.
 */
function toIssues(units: readonly OutputUnit[]): SchemaIssue[] {
  const kept = units.filter(
    (unit) =>
      !units.some(
        (other) => other !== unit && other.keywordLocation.startsWith(`${unit.keywordLocation}/`),
      ) && !(unit.keyword === "false" && units.length > 1),
  );
  return kept.map((unit) => ({ message: unit.error, path: pointerPath(unit.instanceLocation) }));
}

/** `#/b/0` → `["b", 0]`. */
function pointerPath(location: string): (string | number)[] {
  const pointer = location.startsWith("#") ? location.slice(1) : location;
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((segment) => {
      const key = decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~");
      return /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key;
    });
}
