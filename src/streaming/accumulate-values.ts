// Small value rules shared by the accumulation files (protocol.md P5.8, P5.13).
import type { WireObject } from "../models/model.js";
import { putKey, toPlain } from "../models/wire-values.js";

/**
 * A value kept from a chunk, copied: the chunk itself becomes the update handed to the caller, who
 * may change it, and the updates and the accumulated answer share nothing (quality.md Q2).
 */
export function snapshot(value: unknown): unknown {
  return typeof value === "object" && value !== null ? toPlain(value, false) : value;
}

/** A key whose value is the first non-empty one seen, else the first one seen. */
export interface FirstValue {
  value: unknown;
  settled: boolean;
}

/** Copies each kept value onto `target`, unless `target` already has the key. */
export function putFirstValues(target: WireObject, values: Map<string, FirstValue>): void {
  for (const [key, first] of values)
    if (!Object.hasOwn(target, key)) putKey(target, key, toPlain(first.value, false));
}

/** An object field sent in fragments: the `joined` subkeys are text, the others first non-empty. */
export class ObjectMerge {
  readonly #joined: ReadonlySet<string>;
  readonly #fields = new Map<string, { pieces: string[] | undefined; first: FirstValue }>();

  constructor(joined: ReadonlySet<string>) {
    this.#joined = joined;
  }

  add(fragment: WireObject): void {
    for (const key in fragment) {
      const value = fragment[key];
      let field = this.#fields.get(key);
      if (field === undefined) {
        field = { pieces: undefined, first: { value: snapshot(value), settled: !isEmpty(value) } };
        this.#fields.set(key, field);
      } else if (!field.first.settled && !isEmpty(value)) {
        field.first = { value: snapshot(value), settled: true };
      }
      if (this.#joined.has(key) && typeof value === "string") (field.pieces ??= []).push(value);
    }
  }

  result(): WireObject {
    const out: WireObject = {};
    for (const [key, field] of this.#fields) {
      putKey(
        out,
        key,
        field.pieces !== undefined ? field.pieces.join("") : toPlain(field.first.value, false),
      );
    }
    return out;
  }
}

/** Records `value` under `key` when it is the first non-empty one (or the first one at all). */
export function keepFirst(values: Map<string, FirstValue>, key: string, value: unknown): void {
  const first = values.get(key);
  if (first === undefined) values.set(key, { value: snapshot(value), settled: !isEmpty(value) });
  else if (!first.settled && !isEmpty(value)) {
    first.value = snapshot(value);
    first.settled = true;
  }
}

/** "Empty" in the sense of P5.13: absent, `null`, `""`, `0`, `{}` or `[]`. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "" || value === 0) return true;
  if (typeof value !== "object") return false;
  if (Array.isArray(value)) return value.length === 0;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}
