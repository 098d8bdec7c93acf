// T5: a Prompty file's `model.parameters` (wire names) as request options in typed names, read
// through the one typed ↔ wire table of the model layer, so that they spread into complete().
import { chatOptionWireNames } from "../../models/chat-completions-options.js";
import { putKey } from "../../models/wire-values.js";
import type { PromptParameters } from "./types.js";

const TYPED_BY_WIRE_NAME: ReadonlyMap<string, string> = new Map(
  Object.entries(chatOptionWireNames).map(([typed, wire]) => [wire, typed]),
);

/**
 * Parameters that are not spread: `messages` comes from the template, and `stream` (with its
 * `stream_options`) decides what complete() returns, so the calling code must say it.
 */
export const UNSPREAD_PARAMETERS: ReadonlySet<string> = new Set(["messages", "stream", "stream_options"]);

/** Known wire names become typed options; the others go into `modelExtras` unchanged. */
export function toPromptParameters(parameters: Readonly<Record<string, unknown>>): PromptParameters {
  const options: Record<string, unknown> = {};
  const extras: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (UNSPREAD_PARAMETERS.has(name)) continue;
    const typed = TYPED_BY_WIRE_NAME.get(name);
    if (typed !== undefined) options[typed] = value;
    else putKey(extras, name, value);
  }
  if (Object.keys(extras).length > 0) options.modelExtras = extras;
  return options as PromptParameters;
}
