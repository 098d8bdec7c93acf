// JSON Schema of a Zod schema whose version cannot convert itself: Zod 3.25's `zod/v4` and Zod
// 4.0–4.1 implement Standard Schema but not Standard JSON Schema (Zod 4.2 added it). Their
// converter is `toJSONSchema` of `zod/v4/core`, a path that both Zod 3.25 and Zod 4 ship, loaded
// from the app's own copy of Zod (an optional peer dependency).
import type { JsonSchemaObject, StandardSchemaV1 } from "../../models/schema-inputs.js";
import { withoutDialect } from "../../models/schema-inputs.js";

type ZodCore = { toJSONSchema(schema: unknown, params?: { target?: string }): JsonSchemaObject };

// A variable, so that bundlers leave this optional peer alone: apps that never hit this path must
// not need Zod installed to build. Node.js resolves it from this package's folder as usual.
const zodCore = "zod/v4/core";
let loading: Promise<ZodCore> | undefined;

/** The JSON Schema of a Zod 4-core schema (output side, draft 2020-12, no `$schema`). */
export async function zodToJsonSchema(schema: StandardSchemaV1, where: string): Promise<JsonSchemaObject> {
  loading ??= import(/* @vite-ignore */ /* webpackIgnore: true */ zodCore) as Promise<ZodCore>;
  let core: ZodCore;
  try {
    core = await loading;
  } catch (error) {
    loading = undefined;
    throw new TypeError(
      `${where}: converting this Zod schema to JSON Schema needs "zod/v4/core", which could not be ` +
        `loaded (${error instanceof Error ? error.message : String(error)}). Use Zod 4.2 or later, whose ` +
        `schemas convert themselves, or pass { name, schema: z.toJSONSchema(schema) }.`,
      { cause: error },
    );
  }
  try {
    return withoutDialect(core.toJSONSchema(schema, { target: "draft-2020-12" }));
  } catch (error) {
    throw new TypeError(
      `${where}: the Zod schema cannot be expressed as JSON Schema ` +
        `(${error instanceof Error ? error.message : String(error)}).`,
      { cause: error },
    );
  }
}
