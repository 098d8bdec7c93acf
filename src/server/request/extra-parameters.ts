// The `extra-parameters` header governs body keys outside the known set (S1.5): `error` (default)
// rejects them naming each one, `drop` ignores them, `pass-through` hands them to the engine.
import { ExtraParameters } from "../../models/enums.js";
import { HttpError } from "../http-error.js";
import type { JsonObject } from "./fields.js";

export type ExtraParametersMode = "error" | "drop" | "pass-through";

const modes: ReadonlySet<string> = new Set(Object.values(ExtraParameters));

/** Reads the header (the older `unknown-parameters` name is honoured too); any other value is a 400. */
export function readExtraParametersMode(headers: Headers): ExtraParametersMode {
  const name = headers.has("extra-parameters") ? "extra-parameters" : "unknown-parameters";
  const value = headers.get(name);
  if (value === null) return "error";
  const mode = value.trim().toLowerCase();
  if (!modes.has(mode)) {
    throw new HttpError({
      status: 400,
      code: "invalid_request",
      message: `The '${name}' header must be error, drop or pass-through, not '${value}'.`,
      param: name,
    });
  }
  return mode as ExtraParametersMode;
}

/**
 * The body's keys outside `known`, handled per `mode`. Returns the pass-through keys in an object
 * without a prototype, so that a `__proto__` key stays data (quality.md Q3).
 */
export function takeExtraParameters(
  body: JsonObject,
  known: ReadonlySet<string>,
  mode: ExtraParametersMode,
): Readonly<Record<string, unknown>> {
  const unknown = Object.keys(body).filter((key) => !known.has(key));
  const extra: Record<string, unknown> = Object.create(null);
  if (unknown.length === 0 || mode === "drop") return extra;
  if (mode === "error") {
    const names = unknown.map((key) => `'${key}'`).join(", ");
    throw new HttpError({
      status: 400,
      code: "unknown_parameter",
      message:
        `Unknown parameter${unknown.length > 1 ? "s" : ""} ${names}. ` +
        "Send the header 'extra-parameters: drop' to ignore unknown keys or 'pass-through' to hand them to the model.",
      param: unknown[0],
    });
  }
  for (const key of unknown) Object.defineProperty(extra, key, { value: body[key], enumerable: true });
  return extra;
}
