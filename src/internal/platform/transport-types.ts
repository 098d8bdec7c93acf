// What the pipeline and the transports exchange: plain data and raw errors only. The transports
// are platform leaves (docs/architecture.md): they never build the SDK's error classes; the
// pipeline classifies their failures by when they happened (before or after the headers).

/** One HTTP exchange to perform. */
export interface TransportRequest {
  /** The absolute URL (used by `fetch`). */
  readonly url: string;
  /** `scheme://host:port` of `url` (used by undici). */
  readonly origin: string;
  /** Path and query of `url` (used by undici). */
  readonly path: string;
  readonly method: string;
  /** Lowercase names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
  /** Aborts the exchange at any point: the attempt's timeout or the caller's abort. */
  readonly signal: AbortSignal;
}

/** A response whose headers have arrived; the body is still to be read. */
export interface TransportResponse {
  readonly status: number;
  /** True when the runtime hid a redirect (`fetch` with `redirect: "manual"` in browsers). */
  readonly opaqueRedirect: boolean;
  /** One header's value (repeated headers joined with `, `), or `null`. */
  header(name: string): string | null;
  /** Every header, as a standard `Headers` (built on first use). */
  headers(): Headers;
  /**
   * The body as text (UTF-8), read up to `maxBytes` bytes: `complete` is false when the body is
   * longer, and then nothing past `maxBytes` was read (the caller closes the response). A character
   * cut at the limit is left out.
   */
  readText(maxBytes: number): Promise<{ readonly text: string; readonly complete: boolean }>;
  /** The body's bytes as they arrive, read once; transport errors pass through unchanged. */
  chunks(): AsyncIterable<Uint8Array>;
  /** Closes the connection at once, dropping the rest of the body (idempotent). */
  close(): void;
  /** Drops a small body the caller does not need, keeping the connection reusable when possible. */
  discard(): void;
  /**
   * Resolves once the connection of a body read to its end is free for the next request. undici
   * (Node's fetch too) frees it one event-loop turn after the end, so a request sent at once would
   * open a second connection.
   */
  released(): Promise<void>;
}

export interface Transport {
  /** Resolves when the response headers arrive; rejects with the runtime's own error otherwise. */
  send(request: TransportRequest): Promise<TransportResponse>;
}

/** The `fetch` signature the `fetch` option takes (the global one). */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** The transport options of the client (P1.10). */
export interface TransportSettings {
  /** An HTTP proxy URL (Node.js only). */
  readonly proxy?: string;
  /** An undici dispatcher (Node.js only). */
  readonly dispatcher?: object;
}
