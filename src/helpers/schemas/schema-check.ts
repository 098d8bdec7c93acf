// What checking a value against a schema gives, whichever validator did it.
import type { SchemaIssue } from "../../errors.js";

/** Success with the schema's output (a validation library may transform the value), or the issues. */
export type SchemaCheck =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly issues: SchemaIssue[] };

/** Checks a parsed JSON value. */
export type SchemaChecker = (value: unknown) => SchemaCheck | Promise<SchemaCheck>;
