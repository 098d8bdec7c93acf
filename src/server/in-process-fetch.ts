// The server's `fetch` (S1.1): the global signature, answered in-process with no network. Like the
// real thing it rejects with the signal's reason when the signal aborts before the response, and
// the body errors when it aborts while the body is being read, which also cancels the work behind
// it (a stream's generation stops at once).

/**
 * Bodies that already end with the request signal's reason when it aborts (the SSE replies):
 * they need no wrapping, which spares every streamed chunk a second stream hop.
 */
const abortAwareBodies = new WeakSet<ReadableStream>();

/** Declares that `body` errors with the request signal's reason when that signal aborts. */
export function markAbortAware(body: ReadableStream): void {
  abortAwareBodies.add(body);
}

/** The global `fetch` signature. */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Wraps an app's `fetch(request)` into the global `fetch` signature. */
export function inProcessFetch(handle: (request: Request) => Response | Promise<Response>): FetchFunction {
  return async (input, init) => {
    // A bare path is read against a placeholder origin, as the server serves one origin only.
    const target =
      typeof input === "string" && input.startsWith("/") ? new URL(input, "http://localhost") : input;
    const request = new Request(target, init);
    const { signal } = request;
    signal.throwIfAborted();
    let onAbort!: () => void;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      const response = await Promise.race([handle(request), aborted]);
      const { body } = response;
      return body === null || abortAwareBodies.has(body) ? response : withAbortableBody(response, signal);
    } finally {
      signal.removeEventListener("abort", onAbort);
      aborted.catch(() => undefined);
    }
  };
}

function withAbortableBody(response: Response, signal: AbortSignal): Response {
  const reader = response.body!.getReader();
  let onAbort: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      onAbort = () => {
        controller.error(signal.reason);
        reader.cancel(signal.reason).catch(() => undefined);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    },
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (signal.aborted) return;
        if (done) {
          signal.removeEventListener("abort", onAbort!);
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        signal.removeEventListener("abort", onAbort!);
        controller.error(error);
      }
    },
    cancel(reason) {
      signal.removeEventListener("abort", onAbort!);
      return reader.cancel(reason);
    },
  });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
