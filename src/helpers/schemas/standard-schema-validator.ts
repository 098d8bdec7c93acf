// Validation by the schema's own library through the Standard Schema interface: Zod, Valibot and
// ArkType validate themselves, and their output (with defaults and transforms applied) is the value.
import type { SchemaIssue } from "../../errors.js";
import type { StandardSchemaV1 } from "../../models/schema-inputs.js";
import type { SchemaCheck } from "./schema-check.js";

/**
 * A checker that runs the library's own validation. A check that throws (a `.refine()` or a
 * `.transform()` whose function throws) fails like a check that says no, with the exception as
 * the issue and as `cause`: the answer or the arguments were what it could not take.
 */
export function standardSchemaChecker(schema: StandardSchemaV1): (value: unknown) => Promise<SchemaCheck> {
  return async (value) => {
    let result: StandardSchemaV1.Result<unknown>;
    try {
      result = await schema["~standard"].validate(value);
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return {
        ok: false,
        issues: [{ message: `the schema's check threw ${message}`, path: [] }],
        cause: error,
      };
    }
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
