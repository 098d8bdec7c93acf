// The transport over `fetch`: the default in browsers, Deno and Bun, and what a `fetch` option
// plugs into everywhere. Redirects are left to the pipeline (`redirect: "manual"`, P2.6).
import { declaredLength, readLimitedText } from "./read-limited.js";
import type { FetchFunction, Transport, TransportRequest, TransportResponse } from "./transport-types.js";

/**
 * A transport over `fetchFunction`, or over the global `fetch` looked up at each request (so a
 * polyfill installed after import is used). A `dispatcher` is passed on as `init.dispatcher`,
 * which Node.js's own `fetch` honours.
 */
export function createFetchTransport(fetchFunction?: FetchFunction, dispatcher?: object): Transport {
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const fetchNow = fetchFunction ?? (globalThis.fetch as FetchFunction);
      const init: RequestInit = {
        method: request.method,
        headers: request.headers as Record<string, string>,
        body: request.body as RequestInit["body"],
        signal: request.signal,
        redirect: "manual",
      };
      if (dispatcher !== undefined) (init as Record<string, unknown>).dispatcher = dispatcher;
      return new FetchResponse(await fetchNow(request.url, init));
    },
  };
}

class FetchResponse implements TransportResponse {
  readonly status: number;
  readonly opaqueRedirect: boolean;
  readonly #response: Response;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  constructor(response: Response) {
    this.#response = response;
    this.status = response.status;
    this.opaqueRedirect = response.type === "opaqueredirect";
  }

  header(name: string): string | null {
    return this.#response.headers.get(name);
  }

  headers(): Headers {
    return this.#response.headers;
  }

  async readText(maxBytes: number): Promise<{ readonly text: string; readonly complete: boolean }> {
    const length = declaredLength(this.#response.headers.get("content-length"));
    // A declared length is enforced by fetch itself, so within the limit the fast path is safe.
    if (length !== undefined && length <= maxBytes) {
      return { text: await this.#response.text(), complete: true };
    }
    const body = this.#response.body;
    if (body === null) return { text: "", complete: true };
    const reader = body.getReader();
    this.#reader = reader;
    const read = await readLimitedText(() => reader.read() as Promise<IteratorResult<Uint8Array>>, maxBytes);
    if (read.complete) reader.releaseLock();
    return read;
  }

  async *chunks(): AsyncIterable<Uint8Array> {
    const body = this.#response.body;
    if (body === null) return;
    const reader = body.getReader();
    this.#reader = reader;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      // Ends the read early when the consumer stops (break, return), which closes the connection.
      reader.cancel().catch(noop);
      reader.releaseLock();
    }
  }

  close(): void {
    if (this.#reader !== undefined) this.#reader.cancel().catch(noop);
    else if (this.#response.body !== null && !this.#response.bodyUsed)
      this.#response.body.cancel().catch(noop);
  }

  discard(): void {
    this.close();
  }

  released(): Promise<void> {
    // Node's fetch (undici) frees the connection with setImmediate after the body ends; elsewhere
    // the runtime's own pool decides, and there is nothing to wait for.
    const turn = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
    return turn === undefined ? Promise.resolve() : new Promise((resolve) => turn(resolve));
  }
}

function noop(): void {}
