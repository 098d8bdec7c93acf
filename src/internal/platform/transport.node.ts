// Node.js (the `node` condition of `#platform/transport`): requests go through undici's request
// API, which costs far less per call than Node's built-in `fetch` (quality.md Q4, client rows),
// with undici's own header and body timeouts switched off per request so that the client's
// `timeoutMs` is the limit actually in force (P4.4).
//
// undici is loaded on the first request, not at import (importing all of it costs ~180 ms; the
// two modules used here ~60 ms), and only its request function and agent are loaded: the package
// has no exports map and is pinned to an exact version, so these paths are stable. A proxy loads
// the whole package (its agent relies on what undici's entry installs).
import { createFetchTransport } from "./fetch-transport.js";
import { declaredLength, readLimitedText } from "./read-limited.js";
import type { Transport, TransportRequest, TransportResponse, TransportSettings } from "./transport-types.js";

export { createFetchTransport };

/** The name tests and logs report for the default transport of this runtime. */
export const defaultTransportName = "undici";

type RawHeaders = Record<string, string | string[] | undefined>;

interface UndiciBody extends AsyncIterable<Uint8Array> {
  text(): Promise<string>;
  dump(options?: { limit?: number }): Promise<void>;
  destroy(error?: Error): unknown;
  pause(): unknown;
  resume(): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end" | "close", listener: () => void): unknown;
}

interface Dispatcher {
  dispatch(options: object, handler: object): boolean;
}

type RequestFunction = (
  this: Dispatcher,
  options: object,
) => Promise<{ statusCode: number; headers: RawHeaders; body: UndiciBody }>;

type DispatcherClass = new (options: object) => Dispatcher;

// undici's own timeouts off: ours (an AbortSignal per attempt, and the stream's idle timer) decide.
const NO_STACK_TIMEOUTS = { headersTimeout: 0, bodyTimeout: 0 };

let requestFunction: RequestFunction | undefined;
let sharedAgent: Promise<Dispatcher> | undefined;

async function loadRequestFunction(): Promise<RequestFunction> {
  const module = (await import("undici/lib/api/api-request.js" as string)) as { default: RequestFunction };
  requestFunction = module.default;
  return requestFunction;
}

async function loadDispatcher(proxy: string | undefined): Promise<Dispatcher> {
  if (proxy === undefined) {
    const { default: Agent } = (await import("undici/lib/dispatcher/agent.js" as string)) as {
      default: DispatcherClass;
    };
    return new Agent(NO_STACK_TIMEOUTS);
  }
  // The proxy agent calls the dispatcher API that undici's entry installs, so load all of it here.
  const { ProxyAgent } = (await import("undici")) as unknown as { ProxyAgent: DispatcherClass };
  return new ProxyAgent({ uri: proxy, ...NO_STACK_TIMEOUTS });
}

/** The default transport of Node.js: undici's request API (through a proxy when one is set). */
export function createDefaultTransport(settings: TransportSettings): Transport {
  let ownDispatcher: Promise<Dispatcher> | undefined;
  const dispatcherFor = (): Promise<Dispatcher> | Dispatcher => {
    if (settings.dispatcher !== undefined) return settings.dispatcher as Dispatcher;
    if (settings.proxy !== undefined) return (ownDispatcher ??= loadDispatcher(settings.proxy));
    return (sharedAgent ??= loadDispatcher(undefined));
  };
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const send = requestFunction ?? (await loadRequestFunction());
      const dispatcher = await dispatcherFor();
      const { statusCode, headers, body } = await send.call(dispatcher, {
        origin: request.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: request.signal,
        ...NO_STACK_TIMEOUTS,
      });
      return new UndiciResponse(statusCode, headers, body);
    },
  };
}

class UndiciResponse implements TransportResponse {
  readonly opaqueRedirect = false;
  readonly status: number;
  readonly #raw: RawHeaders;
  readonly #body: UndiciBody;
  #headers: Headers | undefined;

  constructor(status: number, raw: RawHeaders, body: UndiciBody) {
    this.status = status;
    this.#raw = raw;
    this.#body = body;
  }

  header(name: string): string | null {
    const value = this.#raw[name];
    if (value === undefined) return null;
    return typeof value === "string" ? value : value.join(", ");
  }

  headers(): Headers {
    if (this.#headers === undefined) {
      const headers = new Headers();
      for (const name of Object.keys(this.#raw)) {
        const value = this.#raw[name];
        if (typeof value === "string") headers.append(name, value);
        else if (value !== undefined) for (const item of value) headers.append(name, item);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  async readText(maxBytes: number): Promise<{ readonly text: string; readonly complete: boolean }> {
    const length = declaredLength(this.header("content-length"));
    // undici fails a body longer than its declared length, so within the limit the fast path is safe.
    if (length !== undefined && length <= maxBytes) return { text: await this.#body.text(), complete: true };
    const iterator = this.#body[Symbol.asyncIterator]();
    return readLimitedText(() => iterator.next(), maxBytes);
  }

  chunks(): AsyncIterable<Uint8Array> {
    return closesAfterBody(this) ? new EagerBody(this.#body) : this.#body;
  }

  close(): void {
    // Destroying an unfinished body emits an abort error; whoever reads it sees it, nobody else must.
    this.#body.on("error", noop);
    this.#body.destroy();
  }

  discard(): void {
    this.#body.dump({ limit: 65536 }).catch(noop);
  }

  released(): Promise<void> {
    // undici hands the socket back with setImmediate after the response completes; this one runs after it.
    return new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Whether the server ends the connection with the body (`Connection: close`, or a body delimited
 * by the end of the connection: neither a length nor chunked encoding).
 */
function closesAfterBody(response: UndiciResponse): boolean {
  if (/(^|,)\s*close\s*(,|$)/i.test(response.header("connection") ?? "")) return true;
  return (
    response.header("content-length") === null &&
    !/chunked/i.test(response.header("transfer-encoding") ?? "") &&
    response.status !== 204 &&
    response.status !== 304
  );
}

/** Unread bytes an eager body holds before it lets backpressure reach undici after all. */
const MAX_EAGER_BYTES = 64 * 1024 * 1024;

/**
 * The body of a response whose connection closes after it, read as fast as it arrives into a queue
 * of our own (issue 9, "downloads and backpressure"). undici 7 crashes the process with
 * `assert(!this.paused)` when its HTTP/1 parser is paused by backpressure (a slow reader) and the
 * server then closes the connection (nodejs/undici#5360, fixed only in undici 8, which needs Node 22):
 * reading eagerly keeps the parser from ever pausing on such connections. Keep-alive connections
 * are not affected and keep undici's own backpressure. A reader more than 64 MiB behind hands
 * backpressure back to undici (no chat stream comes near it).
 */
class EagerBody implements AsyncIterable<Uint8Array> {
  readonly #body: UndiciBody;
  #queue: (Uint8Array | undefined)[] = [];
  #head = 0;
  #buffered = 0;
  #paused = false;
  #ended = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(body: UndiciBody) {
    this.#body = body;
    body.on("data", (chunk) => {
      this.#queue.push(chunk);
      this.#buffered += chunk.byteLength;
      if (this.#buffered > MAX_EAGER_BYTES && !this.#paused) {
        this.#paused = true;
        body.pause();
      }
      this.#wakeReader();
    });
    body.on("end", () => {
      this.#ended = true;
      this.#wakeReader();
    });
    body.on("error", (error) => {
      this.#failure ??= error;
      this.#wakeReader();
    });
    body.on("close", () => {
      if (!this.#ended) this.#failure ??= new Error("The response body was closed before its end.");
      this.#wakeReader();
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.#next(),
      return: () => {
        this.#body.destroy();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  async #next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      if (this.#head < this.#queue.length) {
        const chunk = this.#queue[this.#head]!;
        this.#queue[this.#head++] = undefined;
        this.#buffered -= chunk.byteLength;
        if (this.#head === this.#queue.length) {
          this.#queue = [];
          this.#head = 0;
        }
        if (this.#paused && this.#buffered < MAX_EAGER_BYTES / 2) {
          this.#paused = false;
          this.#body.resume();
        }
        return { done: false, value: chunk };
      }
      if (this.#ended) return { done: true, value: undefined };
      if (this.#failure !== undefined) throw this.#failure;
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }

  #wakeReader(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

function noop(): void {}
