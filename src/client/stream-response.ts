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
  return {
    status: response.status,
    headers: response.headers(),
    requestId: attempt.requestId,
    close,
    body: {
      async *[Symbol.asyncIterator]() {
        if (read) throw new TypeError("The response body can be read once.");
        read = true;
        try {
          for await (const chunk of response.chunks()) {
            if (closed) return;
            yield chunk;
          }
        } catch (error) {
          if (closed) return;
          const signal = attempt.abortSignal;
          if (signal?.aborted) throw abortError(signal.reason, attempt.details());
          throw responseError(attempt.what, error, attempt.details(), attempt.secrets());
        } finally {
          close();
        }
      },
    },
  };
}
