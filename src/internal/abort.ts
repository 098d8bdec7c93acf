/**
 * Makes `target` abort (with the same reason) when `source` does; returns the function that undoes
 * the link. Used instead of `AbortSignal.any`, whose signals Node.js 20 keeps alive too long, and
 * so that every attempt's controller can be released as soon as the attempt ends.
 */
export function linkAbort(source: AbortSignal | undefined, target: AbortController): () => void {
  if (source === undefined) return noop;
  if (source.aborted) {
    target.abort(source.reason);
    return noop;
  }
  const onAbort = (): void => target.abort(source.reason);
  source.addEventListener("abort", onAbort, { once: true });
  return () => source.removeEventListener("abort", onAbort);
}

function noop(): void {}
