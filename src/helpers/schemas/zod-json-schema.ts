// JSON Schema of a Zod schema whose version cannot convert itself (Zod 4.2+ does, through Standard
// JSON Schema), always of its input side: what the model must write.
// - Zod 3.25's `zod/v4` and Zod 4.0–4.1: `toJSONSchema` of `zod/v4/core`, a path that both Zod
//   3.25 and Zod 4 ship, loaded from the app's own copy of Zod (an optional peer dependency).
// - Zod 3's classic API (`import { z } from "zod"` on 3.25): `zod-to-json-schema`, the converter
//   made for it (the one openai-node uses), a dependency of this package loaded on first use.
import type { JsonSchemaObject, StandardSchemaV1 } from "../../models/schema-inputs.js";
import { withoutDialect } from "../../models/schema-inputs.js";

type ZodCore = {
  toJSONSchema(schema: unknown, params?: { target?: string; io?: "input" | "output" }): JsonSchemaObject;
};
type Zod3Converter = {
  zodToJsonSchema(schema: unknown, options: Record<string, unknown>): JsonSchemaObject;
};

// A variable, so that bundlers leave this optional peer alone: apps that never hit this path must
// not need Zod installed to build. Node.js resolves it from this package's folder as usual.
const zodCore = "zod/v4/core";
let loading: Promise<ZodCore> | undefined;
let loadingZod3: Promise<Zod3Converter> | undefined;

/** The JSON Schema of a Zod 4-core schema (input side, draft 2020-12, no `$schema`). */
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
    return withoutDialect(core.toJSONSchema(schema, { target: "draft-2020-12", io: "input" }));
  } catch (error) {
    throw cannotExpress(where, error);
  }
}

/** True for a schema of Zod 3's classic API: vendor `zod`, a `_def` with a `typeName`, no Zod 4 core. */
export function isZod3Schema(schema: StandardSchemaV1): boolean {
  const def = (schema as { _def?: { typeName?: unknown } })._def;
  return (
    schema["~standard"].vendor === "zod" &&
    (schema as { _zod?: unknown })._zod === undefined &&
    typeof def?.typeName === "string"
  );
}

/**
 * The JSON Schema of a Zod 3 classic schema: input side (`.transform()`, `.refine()` and
 * `.pipe()` send what they take), definitions inlined where used once and kept in `$defs` when a
 * schema recurses, without `$schema`.
 */
export async function zod3ToJsonSchema(schema: StandardSchemaV1, where: string): Promise<JsonSchemaObject> {
  loadingZod3 ??= import("zod-to-json-schema") as Promise<Zod3Converter>;
  let converter: Zod3Converter;
  try {
    converter = await loadingZod3;
  } catch (error) {
    loadingZod3 = undefined;
    throw new TypeError(
      `${where}: converting a Zod 3 schema needs "zod-to-json-schema", which could not be loaded ` +
        `(${error instanceof Error ? error.message : String(error)}).`,
      { cause: error },
    );
  }
  let converted: JsonSchemaObject;
  try {
    converted = converter.zodToJsonSchema(schema, {
      target: "jsonSchema2019-09",
      $refStrategy: "root",
      definitionPath: "$defs",
      effectStrategy: "input",
      pipeStrategy: "input",
      removeAdditionalStrategy: "strict",
      allowedAdditionalProperties: undefined,
      rejectedAdditionalProperties: false,
    });
  } catch (error) {
    throw cannotExpress(where, error);
  }
  return withoutDialect(converted);
}

function cannotExpress(where: string, error: unknown): TypeError {
  return new TypeError(
    `${where}: the Zod schema cannot be expressed as JSON Schema ` +
      `(${error instanceof Error ? error.message : String(error)}).`,
    { cause: error },
  );
}
