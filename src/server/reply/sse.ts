// A server-sent event response (protocol.md P5.1): `data: <json>` events, then `data: [DONE]`.
// The stream's producer gets a signal that aborts when the request's signal does (the client left,
// the server shuts down) or when the reader cancels the body, so generation stops at once.
import { linkAbort } from "../../internal/abort.js";
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
  /**
   * Settles when the stream has ended, however it ended, with the status the log reports: 200
   * after `[DONE]`, 499 when the client left, an error event's own status.
   */
  readonly done: Promise<number>;
}

export interface SseReplyOptions {
  /** The request's work signal: the client left, or the server shuts down. */
  readonly signal: AbortSignal;
  /**
   * Error the body when the client aborts, as a real connection does for whoever still reads it
   * (in-process `fetch`). Over HTTP nobody reads it any more, and an errored body would only make
   * the HTTP adapter print the error (issue 10: quiet disconnects). @default true
   */
  readonly errorBodyOnAbort?: boolean;
}

/**
 * Streams what `produce` sends. When it resolves, `[DONE]` ends the stream; when it fails before
 * the end, an error event (`data: {"error": {...}}`, P5.4) ends it instead; when the stream was
 * aborted, it just closes.
 */
export function sseReply(
  produce: (send: SendEvent, signal: AbortSignal) => Promise<void>,
  options: SseReplyOptions,
): SseReply {
  const requestSignal = options.signal;
  const errorBodyOnAbort = options.errorBodyOnAbort ?? true;
  // Linked by hand: AbortSignal.any outlives its stream on Node 20 (see app.ts).
  const stop = new AbortController();
  const unlink = linkAbort(requestSignal, stop);
  const signal = stop.signal;
  let finish!: (status: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
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
      const onRequestAbort = () => {
        if (!open || isHttpError(requestSignal.reason) || !errorBodyOnAbort) return;
        open = false;
        controller.error(requestSignal.reason);
      };
      requestSignal.addEventListener("abort", onRequestAbort, { once: true });
      let status = 200;
      produce(send, signal)
        .then(
          () => write("data: [DONE]\n\n"),
          (error: unknown) => {
            if (signal.aborted && !isHttpError(signal.reason)) {
              status = 499;
              return;
            }
            const known = isHttpError(error)
              ? error
              : isHttpError(signal.reason)
                ? signal.reason
                : new HttpError({ status: 500, code: "internal_error", message: "Internal server error." });
            status = known.status;
            send(known.toJSON());
          },
        )
        .finally(() => {
          requestSignal.removeEventListener("abort", onRequestAbort);
          unlink();
          close();
          finish(status);
        });
    },
    cancel(reason) {
      open = false;
      stop.abort(reason);
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
