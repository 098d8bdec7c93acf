// The request body (S1.4): read whole before anything parses it, refused with 413 beyond the limit
// (at once when Content-Length says so, else as soon as the count passes it). The read is raced
// with the request's work signal, so a client stalled mid-upload can't hold a request open past
// the server's shutdown, and a client that breaks off its upload is a 499, not a 500 (issue 10).
import type { MiddlewareHandler } from "hono";
import { HttpError, abortedError, isHttpError } from "../http-error.js";
import type { ServerEnv } from "../server-env.js";

/** 4 MiB. */
export const defaultMaxBodyBytes = 4 * 1024 * 1024;

/**
 * Reads the body into `c.var.bodyText`, refusing bodies over `maxBytes` with 413.
 * @example
 * ```ts
 * app.post("/chat/completions", bodyLimit({ maxBytes: 1024 * 1024 }), handler);
 * ```
 */
export function bodyLimit(options: { maxBytes?: number } = {}): MiddlewareHandler<ServerEnv> {
  const maxBytes = options.maxBytes ?? defaultMaxBodyBytes;
  const tooLarge = () =>
    new HttpError({
      status: 413,
      code: "payload_too_large",
      message: `The request body is larger than the limit of ${maxBytes} bytes.`,
    });
  return async (c, next) => {
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) > maxBytes) throw tooLarge();
    const signal = c.get("workSignal") ?? c.req.raw.signal;
    c.set("bodyText", await readText(c.req.raw.body, maxBytes, signal, tooLarge));
    return next();
  };
}

async function readText(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  signal: AbortSignal,
  tooLarge: () => HttpError,
): Promise<string> {
  if (body === null) return "";
  if (signal.aborted) throw abortedError(signal);
  const reader = body.getReader();
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortedError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge();
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    if (isHttpError(error)) throw error;
    // The upload broke off (the client left, the connection reset): nobody is there to answer.
    throw new HttpError({
      status: 499,
      code: "request_aborted",
      message: "The client closed the request while sending its body.",
      cause: error,
    });
  } finally {
    signal.removeEventListener("abort", onAbort);
    aborted.catch(() => undefined);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}
