// The llama.cpp context sequences, one per concurrent generation (S1.6). The server's capacity
// middleware is the one queue for these slots: it admits at most as many requests as there are
// sequences, so a sequence is always free when a run starts and the pool never waits. A host that
// calls the engine directly limits its own concurrency the same way; a run beyond it is refused
// at once (an error, not a second hidden queue).
//
// The pool lends the first free item in the order it was given: the generating sequences' ids stay
// consecutive, which llama.cpp needs to decode their step in one pass (lockstep-batching.ts).
import { HttpError } from "../http-error.js";

/** Lends items out one at a time, the first free one first, without waiting. */
export class Pool<T> {
  private readonly lent: boolean[];

  constructor(private readonly items: readonly T[]) {
    this.lent = items.map(() => false);
  }

  /** Takes a free item and its (idempotent) release function; throws a 503 when none is free. */
  take(): { item: T; release: () => void } {
    const index = this.lent.indexOf(false);
    if (index === -1) {
      throw new HttpError({
        status: 503,
        code: "server_busy",
        message:
          `All ${this.items.length} sequences of the engine are busy: run at most maxConcurrent (${this.items.length}) ` +
          "generations at once (the server's capacity queue does this).",
      });
    }
    this.lent[index] = true;
    let released = false;
    return {
      item: this.items[index],
      release: () => {
        if (released) return;
        released = true;
        this.lent[index] = false;
      },
    };
  }
}
