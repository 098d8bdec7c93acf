/**
 * Thrown by the mapping view when a key that must exist does not (`pop` without a default,
 * `popItem` on an empty model): the reference's Python `KeyError`.
 */
export class KeyError extends Error {
  override readonly name = "KeyError";
  /** The key that was missing (`undefined` for `popItem` on an empty model). */
  readonly key: string | undefined;

  constructor(key: string | undefined, message?: string) {
    super(message ?? (key === undefined ? "The model has no keys." : `No key "${key}" in the model.`));
    this.key = key;
  }
}

/** True for a `KeyError`, also one from another copy of this package. */
export function isKeyError(error: unknown): error is KeyError {
  return error instanceof Error && error.name === "KeyError";
}
