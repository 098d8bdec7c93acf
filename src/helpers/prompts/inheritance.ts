// Merging rules of the Prompty format: a `base` file under its child (T2.3), `prompty.json` under
// `model.configuration` (T2.3) and `sample` under the caller's data (T2.4). The upper value always
// wins, key by key, one level deep, as the reference's `param_hoisting` does.
import { putKey } from "../../models/wire-values.js";
import type { PromptyDraft } from "./prompty-schema.js";

/** `top` with the keys it lacks taken from `bottom`. `__proto__` keys stay data. */
export function mergeUnder<T>(top: Record<string, T>, bottom: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(top)) putKey(out, key, value);
  for (const [key, value] of Object.entries(bottom)) {
    if (!Object.prototype.hasOwnProperty.call(out, key)) putKey(out, key, value);
  }
  return out;
}

/** The child with its base merged under it. The template body is always the child's own. */
export function inheritFrom(child: PromptyDraft, base: PromptyDraft): PromptyDraft {
  return {
    ...child,
    name: child.name || base.name,
    description: child.description || base.description,
    version: child.version || base.version,
    authors: union(base.authors, child.authors),
    tags: union(base.tags, child.tags),
    model: {
      api: child.model.api ?? base.model.api,
      configuration: mergeUnder(child.model.configuration, base.model.configuration),
      parameters: mergeUnder(child.model.parameters, base.model.parameters),
      response: mergeUnder(child.model.response, base.model.response),
    },
    sample: mergeUnder(child.sample, base.sample),
    inputs: mergeUnder(child.inputs, base.inputs),
    outputs: mergeUnder(child.outputs, base.outputs),
    basePrompty: undefined, // set by the loader, once the base is final
  };
}

function union(first: readonly string[], second: readonly string[]): string[] {
  return [...new Set([...first, ...second])];
}
