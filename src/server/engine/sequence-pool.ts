// The llama.cpp context sequences, one per concurrent generation (S1.6). The server's capacity
// middleware is the one queue for these slots: it admits at most as many requests as there are
// sequences, so a sequence is always free when a run starts and the pool never waits. A host that
// calls the engine directly limits its own concurrency the same way; a run beyond it is refused
// at once (an error, not a second hidden queue).
import { HttpError } from "../http-error.js";

/** Lends items out one at a time, without waiting. */
export class Pool<T> {
  private readonly free: T[];
  private readonly size: number;

  constructor(items: readonly T[]) {
    this.free = [...items];
    this.size = items.length;
  }

  /** Takes a free item and its (idempotent) release function; throws a 503 when none is free. */
  take(): { item: T; release: () => void } {
    const item = this.free.pop();
    if (item === undefined) {
      throw new HttpError({
        status: 503,
        code: "server_busy",
        message:
          `All ${this.size} sequences of the engine are busy: run at most maxConcurrent (${this.size}) ` +
          "generations at once (the server's capacity queue does this).",
      });
    }
    let released = false;
    return {
      item,
      release: () => {
        if (released) return;
        released = true;
        this.free.push(item);
      },
    };
  }
}
