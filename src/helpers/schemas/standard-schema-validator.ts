// Validation by the schema's own library through the Standard Schema interface: Zod, Valibot and
// ArkType validate themselves, and their output (with defaults and transforms applied) is the value.
import type { SchemaIssue } from "../../errors.js";
import type { StandardSchemaV1 } from "../../models/schema-inputs.js";
import type { SchemaCheck } from "./schema-check.js";

/** A checker that runs the library's own validation. */
export function standardSchemaChecker(schema: StandardSchemaV1): (value: unknown) => Promise<SchemaCheck> {
  return async (value) => {
    const result = await schema["~standard"].validate(value);
    if (result.issues === undefined) return { ok: true, value: result.value };
    return { ok: false, issues: result.issues.map(toIssue) };
  };
}

function toIssue(issue: StandardSchemaV1.Issue): SchemaIssue {
  const path = (issue.path ?? []).map((segment) => {
    const key = typeof segment === "object" ? segment.key : segment;
    return typeof key === "number" ? key : String(key);
  });
  return { message: issue.message, path };
}
