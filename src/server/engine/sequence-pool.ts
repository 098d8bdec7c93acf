// A fixed set of llama.cpp context sequences, one per concurrent generation (S1.6). The server's
// capacity middleware already admits at most as many generations as there are sequences; the pool
// still queues, so that the engine is safe to call directly (benchmarks, other hosts).

/** Lends items out one at a time; waiters are served first come, first served. */
export class Pool<T> {
  private readonly free: T[];
  private readonly waiters: ((item: T) => void)[] = [];

  constructor(items: readonly T[]) {
    this.free = [...items];
  }

  /** Resolves to a free item and its release function; rejects with the signal's reason on abort. */
  acquire(signal: AbortSignal): Promise<{ item: T; release: () => void }> {
    const lend = (item: T) => {
      let released = false;
      return {
        item,
        release: () => {
          if (released) return;
          released = true;
          this.give(item);
        },
      };
    };
    if (signal.aborted) return Promise.reject(signal.reason);
    const item = this.free.pop();
    if (item !== undefined) return Promise.resolve(lend(item));
    return new Promise((resolve, reject) => {
      const waiter = (next: T) => {
        signal.removeEventListener("abort", onAbort);
        resolve(lend(next));
      };
      const onAbort = () => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private give(item: T): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.free.push(item);
  }
}
