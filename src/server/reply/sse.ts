// A server-sent event response (protocol.md P5.1): `data: <json>` events, then `data: [DONE]`.
// The stream's producer gets a signal that aborts when the request's signal does (the client left,
// the server shuts down) or when the reader cancels the body, so generation stops at once.
import { HttpError, isHttpError } from "../http-error.js";
import { markAbortAware } from "../in-process-fetch.js";

const encoder = new TextEncoder();

/**
 * Writes one event: `data` serialised, or `json` text already serialised. Returns false once the
 * stream is closed (nobody reads any more).
 */
export interface SendEvent {
  (data: unknown): boolean;
  json(text: string): boolean;
}

export interface SseReply {
  readonly response: Response;
  /** Settles when the stream has ended, however it ended. */
  readonly done: Promise<void>;
}

/**
 * Streams what `produce` sends. When it resolves, `[DONE]` ends the stream; when it fails before
 * the end, an error event (`data: {"error": {...}}`, P5.4) ends it instead; when the stream was
 * aborted, it just closes.
 */
export function sseReply(
  produce: (send: SendEvent, signal: AbortSignal) => Promise<void>,
  requestSignal: AbortSignal,
): SseReply {
  const cancelled = new AbortController();
  const signal = AbortSignal.any([requestSignal, cancelled.signal]);
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let open = true;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (!open) return false;
        controller.enqueue(encoder.encode(text));
        return true;
      };
      const send = Object.assign((data: unknown) => write(`data: ${JSON.stringify(data)}\n\n`), {
        json: (text: string) => write(`data: ${text}\n\n`),
      });
      const close = () => {
        if (!open) return;
        open = false;
        controller.close();
      };
      // Like a real connection, a request that aborts errors the body for whoever still reads it.
      const onRequestAbort = () => {
        if (!open || isHttpError(requestSignal.reason)) return;
        open = false;
        controller.error(requestSignal.reason);
      };
      requestSignal.addEventListener("abort", onRequestAbort, { once: true });
      produce(send, signal)
        .then(
          () => write("data: [DONE]\n\n"),
          (error: unknown) => {
            if (signal.aborted && !isHttpError(signal.reason)) return;
            const known = isHttpError(error)
              ? error
              : isHttpError(signal.reason)
                ? signal.reason
                : new HttpError({ status: 500, code: "internal_error", message: "Internal server error." });
            send(known.toJSON());
          },
        )
        .finally(() => {
          requestSignal.removeEventListener("abort", onRequestAbort);
          close();
          finish();
        });
    },
    cancel(reason) {
      open = false;
      cancelled.abort(reason);
    },
  });

  const response = new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    },
  });
  markAbortAware(body);
  return { response, done };
}
