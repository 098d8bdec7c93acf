// Streamed text pieces that arrive close together go out as one delta. A fast model (the tiny one
// makes a token in under a millisecond) would otherwise pay an event per token; a reader can't see
// a 10 ms wait. The first piece after a quiet spell goes out at once, so the time to the first
// token is unchanged, and no piece waits longer than the window.

export interface Coalescer {
  push(text: string): void;
  /** Writes what is pending now (before the last chunk, or on failure). */
  flush(): void;
}

/** Joins pieces pushed within `windowMs` of the last write. */
export function coalesceText(write: (text: string) => void, windowMs: number): Coalescer {
  let pending = "";
  let timer: NodeJS.Timeout | undefined;
  let lastWrite = -Infinity;
  const flush = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending === "") return;
    const text = pending;
    pending = "";
    lastWrite = performance.now();
    write(text);
  };
  return {
    push(text) {
      if (text === "") return;
      pending += text;
      if (timer !== undefined) return;
      const wait = lastWrite + windowMs - performance.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },
    flush,
  };
}
