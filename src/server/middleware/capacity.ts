// Capacity (S1.6): at most `maxConcurrent` requests run at once, up to `maxQueue` more wait in
// line, and beyond that the answer is 429 with Retry-After. A request whose client leaves while it
// waits leaves the line; one that runs frees its slot when its work ends (for a stream, when the
// stream ends or is cancelled).
import type { MiddlewareHandler } from "hono";
import { HttpError, abortedError } from "../http-error.js";
import type { ServerEnv } from "../server-env.js";

export interface CapacityOptions {
  /** Requests running at once. @default 1 */
  maxConcurrent?: number;
  /** Requests waiting for a slot. @default 16 */
  maxQueue?: number;
  /** The Retry-After sent with 429. @default 1 */
  retryAfterSeconds?: number;
}

/** The middleware, with a view of its state (for tests and health reports). */
export type CapacityMiddleware = MiddlewareHandler<ServerEnv> & {
  readonly running: number;
  readonly queued: number;
};

/**
 * Admits requests up to the limits.
 * @example
 * ```ts
 * app.post("/chat/completions", capacity({ maxConcurrent: 1, maxQueue: 16 }), handler);
 * ```
 */
export function capacity(options: CapacityOptions = {}): CapacityMiddleware {
  const maxConcurrent = options.maxConcurrent ?? 1;
  const maxQueue = options.maxQueue ?? 16;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  let running = 0;
  const queue: (() => void)[] = [];

  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running--;
  };

  const admit = (signal: AbortSignal): Promise<void> => {
    if (signal.aborted) throw abortedError(signal);
    if (running < maxConcurrent) {
      running++;
      return Promise.resolve();
    }
    if (queue.length >= maxQueue) {
      throw new HttpError({
        status: 429,
        code: "too_many_requests",
        message: `The server is busy: ${running} requests are running and ${queue.length} are waiting. Retry later.`,
        headers: { "retry-after": retryAfter },
      });
    }
    return new Promise((resolve, reject) => {
      // The slot passes straight from the releasing request to this one: `running` stays the same.
      const start = () => {
        signal.removeEventListener("abort", leave);
        resolve();
      };
      const leave = () => {
        queue.splice(queue.indexOf(start), 1);
        reject(abortedError(signal));
      };
      signal.addEventListener("abort", leave, { once: true });
      queue.push(start);
    });
  };

  const middleware: MiddlewareHandler<ServerEnv> = async (c, next) => {
    await admit(c.get("workSignal") ?? c.req.raw.signal);
    let handedOff = false;
    try {
      await next();
      const work = c.get("work");
      if (work) {
        handedOff = true;
        void work.finally(release);
      }
    } finally {
      if (!handedOff) release();
    }
  };
  return Object.defineProperties(middleware, {
    running: { get: () => running },
    queued: { get: () => queue.length },
  }) as CapacityMiddleware;
}
