// What checking a value against a schema gives, whichever validator did it.
import type { SchemaIssue } from "../../errors.js";

/**
 * Success with the schema's output (a validation library may transform the value), or the issues;
 * `cause` is the exception when the check itself threw.
 */
export type SchemaCheck =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: SchemaIssue[]; readonly cause?: unknown };

/** Checks a parsed JSON value. */
export type SchemaChecker = (value: unknown) => SchemaCheck | Promise<SchemaCheck>;
