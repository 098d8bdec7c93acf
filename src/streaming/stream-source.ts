// The contract between the client's request pipeline and a streamed response (protocol.md P5.7,
// P5.10). The pipeline opens the first response and hands the stream a way to re-send the request;
// the stream never imports the client (layers point down: docs/architecture.md).
import type { ChatCompletions } from "../models/chat-completions.js";
import type { StreamingChatCompletionsUpdate } from "../models/streaming-updates.js";

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
  /**
   * What the body holds: server-sent events (the default), or one JSON chat completion from a
   * server that ignored `stream: true` (P5.3), to be delivered as a single update.
   */
  readonly format?: "event-stream" | "json";
  /** Closes the connection at once (idempotent); pending body reads end. */
  close(): void;
  /**
   * The stream has read all it needs (`[DONE]`): reads what is left of the body if it is small and
   * ends soon (P5.3: at most 64 KiB within 100 ms), so that the connection can carry the next
   * request, and closes the connection otherwise. Resolves when the connection is released either
   * way; never rejects. Without it, the stream calls `close()`.
   */
  finish?(): Promise<void>;
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
  /** The most one event may hold (P5.3); past it the stream fails with `ResponseTooLargeError`. @default 16 MiB */
  readonly maxEventBytes?: number;
  /** The most the whole body (events, or a JSON answer) may hold. @default 256 MiB */
  readonly maxResponseBytes?: number;
  /**
   * The secret values of the call (key, token, secret headers and query values), redacted from
   * every error raised inside the stream exactly as from the client's own errors (P3.3).
   */
  secrets?(): readonly string[];
  /** The caller's signal: aborting closes the connection and fails with `AbortError` (P4.5). */
  readonly abortSignal?: AbortSignal;
  /** Told of each update and of the end (the client's instrumentation hook, docs/tracing.md). */
  readonly observer?: StreamObserver;
}

/**
 * How a stream ended, once: read to its end (`success`, with the accumulated answer), failed
 * (`error`, the error the reader gets, with what had arrived), closed by the caller before its end
 * (`closed`: `break`, `return`, `close()`, `await using`), or dropped unclosed and collected by the
 * garbage collector (`abandoned`).
 */
export type StreamEnd =
  | { readonly outcome: "success"; readonly result: ChatCompletions }
  | { readonly outcome: "error"; readonly error: unknown; readonly partial: ChatCompletions | undefined }
  | { readonly outcome: "closed"; readonly partial: ChatCompletions }
  | { readonly outcome: "abandoned" };

/** What a stream tells its observer. An observer that throws is ignored: it never breaks the stream. */
export interface StreamObserver {
  /** Each update as it is decoded, before the reader gets it (also while `finalChatCompletions()` drains). */
  update?(update: StreamingChatCompletionsUpdate): void;
  /** Once, when the stream stops reading for good. */
  end(end: StreamEnd): void;
}
