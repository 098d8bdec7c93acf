// A streamed response as the stream layer sees it (src/streaming/stream-source.ts): the body's bytes,
// with the transport's failures already turned into the SDK's errors, a close that releases
// everything the attempt held, and a finish that reads the little that follows `[DONE]` so that
// the connection can carry the next request (P5.3).
import type { StreamResponse } from "../streaming/stream-source.js";
import type { TransportResponse } from "../internal/platform/transport-types.js";
import { type CallDetails, abortError, responseError } from "./response-errors.js";

/** After `[DONE]`, at most this much of the body is read to keep the connection (P5.3)... */
export const MAX_REST_BYTES = 65_536;
/** ...and for at most this long; past either, the connection is cut. */
export const MAX_REST_MS = 100;

export interface StreamAttempt {
  readonly response: TransportResponse;
  /** What the body holds (see `StreamResponse.format`). */
  readonly format: "event-stream" | "json";
  readonly requestId: string;
  /** Describes the request in messages (method and URL, redacted). */
  readonly what: string;
  /** The caller's signal. */
  readonly abortSignal: AbortSignal | undefined;
  /** Releases the attempt (its abort link) once the response is over, leaving the connection alone. */
  readonly release: () => void;
  /** Aborts the attempt's request: the connection is cut. */
  readonly abort: () => void;
  readonly details: () => CallDetails;
  readonly secrets: () => readonly string[];
}

/**
 * What a streamed request's answer holds, by its content type: events, a JSON answer, or (for
 * anything else) `undefined`. A missing type is read as events: minimal servers omit it.
 */
export function streamFormat(contentType: string | null): "event-stream" | "json" | undefined {
  if (contentType === null || contentType.trim() === "") return "event-stream";
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (type === "text/event-stream") return "event-stream";
  if (type === "application/json" || type.endsWith("+json")) return "json";
  return undefined;
}

/** Wraps an open 2xx response for the stream layer. */
export function toStreamResponse(attempt: StreamAttempt): StreamResponse {
  const { response } = attempt;
  let closed = false;
  let read = false;
  let chunks: AsyncIterator<Uint8Array> | undefined;
  /** The body ended: the connection is free (once the transport has taken it back). */
  const released = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    attempt.release();
    await response.released();
  };
  const close = (): void => {
    if (closed) return;
    closed = true;
    attempt.release();
    attempt.abort();
    response.close();
  };
  const fail = (error: unknown): Error => {
    const signal = attempt.abortSignal;
    if (signal?.aborted) return abortError(signal.reason, attempt.details());
    return responseError(attempt.what, error, attempt.details(), attempt.secrets());
  };
  return {
    status: response.status,
    // Built when first read (then cached by the transport): most streams never look at them.
    get headers(): Headers {
      return response.headers();
    },
    requestId: attempt.requestId,
    format: attempt.format,
    close,
    finish: async () => {
      if (closed) return;
      if (chunks === undefined) return close();
      // Reads what follows [DONE] while it stays small and quick; the connection is then free for
      // the next call (openai-node reads to the end however long it takes; draining in the
      // background instead would leave the socket busy for a sequential caller).
      let timer: ReturnType<typeof setTimeout> | undefined;
      // When the time is up, bytes that arrived while this process was busy still count: they are
      // read (I/O is polled) before the deadline's check runs.
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => afterPendingIo(() => resolve("late")), MAX_REST_MS);
      });
      let budget = MAX_REST_BYTES;
      try {
        for (;;) {
          const step = await Promise.race([chunks.next(), late]);
          if (step === "late" || closed) return close();
          if (step.done === true) return released();
          budget -= step.value.byteLength;
          if (budget < 0) return close();
        }
      } catch {
        close();
      } finally {
        clearTimeout(timer);
      }
    },
    body: {
      // A plain iterator over the transport's rather than an async generator around it: one promise
      // per read instead of a generator step as well (this runs once per network read).
      [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
        if (read) throw new TypeError("The response body can be read once.");
        read = true;
        const source = response.chunks()[Symbol.asyncIterator]();
        chunks = source;
        return {
          async next(): Promise<IteratorResult<Uint8Array>> {
            if (closed) return DONE;
            let step: IteratorResult<Uint8Array>;
            try {
              step = await source.next();
            } catch (error) {
              if (closed) return DONE;
              close();
              throw fail(error);
            }
            if (closed) return DONE;
            if (step.done === true) await released();
            return step;
          },
          async return(): Promise<IteratorResult<Uint8Array>> {
            close();
            return DONE;
          },
        };
      },
    },
  };
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** Runs `callback` once the I/O already waiting has been handled (`setImmediate` where it exists). */
function afterPendingIo(callback: () => void): void {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (immediate === undefined) setTimeout(callback, 0);
  else immediate(callback);
}
