// A streamed response as the stream layer sees it (src/streaming/stream-source.ts): the body's bytes,
// with the transport's failures already turned into the SDK's errors, and a close that releases
// everything the attempt held.
import type { StreamResponse } from "../streaming/stream-source.js";
import type { TransportResponse } from "../internal/platform/transport-types.js";
import { type CallDetails, abortError, responseError } from "./response-errors.js";

export interface StreamAttempt {
  readonly response: TransportResponse;
  readonly requestId: string;
  /** Describes the request in messages (method and URL, redacted). */
  readonly what: string;
  /** The caller's signal. */
  readonly abortSignal: AbortSignal | undefined;
  /** Releases the attempt: the abort link and the controller. */
  readonly release: () => void;
  readonly details: () => CallDetails;
  readonly secrets: () => readonly string[];
}

/** Wraps an open 2xx response for the stream layer. */
export function toStreamResponse(attempt: StreamAttempt): StreamResponse {
  const { response } = attempt;
  let closed = false;
  let read = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    attempt.release();
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
    close,
    body: {
      // A plain iterator over the transport's rather than an async generator around it: one promise
      // per read instead of a generator step as well (this runs once per network read).
      [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
        if (read) throw new TypeError("The response body can be read once.");
        read = true;
        const chunks = response.chunks()[Symbol.asyncIterator]();
        return {
          async next(): Promise<IteratorResult<Uint8Array>> {
            if (closed) return DONE;
            let step: IteratorResult<Uint8Array>;
            try {
              step = await chunks.next();
            } catch (error) {
              if (closed) return DONE;
              close();
              throw fail(error);
            }
            if (closed) return DONE;
            if (step.done === true) close();
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
