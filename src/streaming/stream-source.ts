// The contract between the client's request pipeline and a streamed response (protocol.md P5.7,
// P5.10). The pipeline opens the first response and hands the stream a way to re-send the request;
// the stream never imports the client (layers point down: docs/architecture.md).

/** One HTTP response whose body is the server-sent event stream. */
export interface StreamResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Our `x-ms-client-request-id` for this attempt. */
  readonly requestId: string | undefined;
  /**
   * The body's bytes as they arrive, read once. Iteration ends at the end of the body; it throws
   * `ServiceResponseError` (from src/errors.ts) when the connection breaks: the transport maps its
   * own errors before the stream sees them.
   */
  readonly body: AsyncIterable<Uint8Array>;
  /** Closes the connection at once (idempotent); pending body reads end. */
  close(): void;
}

/** What the client's pipeline gives `StreamingChatCompletions`. */
export interface StreamSource {
  /** The first attempt's response, already checked to be 2xx. */
  readonly first: StreamResponse;
  /**
   * Re-sends the request through the pipeline (same auth, headers, retry policy and `onResponse`)
   * after `failure`, which happened before any update was delivered. Resolves to the next 2xx
   * response, or rejects with the error to throw when the policy allows no more attempts; the
   * rejection carries the `retries` history.
   */
  reconnect(failure: unknown): Promise<StreamResponse>;
  /** Fails the stream with `RequestTimeoutError` when nothing arrives for this long (P5.11). */
  readonly idleTimeoutMs: number;
  /** The caller's signal: aborting closes the connection and fails with `AbortError` (P4.5). */
  readonly abortSignal?: AbortSignal;
}
