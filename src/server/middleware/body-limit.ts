// The body size limit (S1.4): a larger body gets 413 before it is parsed. Hono's own middleware
// counts the bytes (trusting Content-Length when there is one, counting the stream otherwise);
// this factory only gives it the server's error envelope.
import type { MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { HttpError } from "../http-error.js";
import type { ServerEnv } from "../server-env.js";

/** 4 MiB. */
export const defaultMaxBodyBytes = 4 * 1024 * 1024;

/**
 * Refuses bodies over `maxBytes` with 413.
 * @example
 * ```ts
 * app.post("/chat/completions", bodyLimit({ maxBytes: 1024 * 1024 }), handler);
 * ```
 */
export function bodyLimit(options: { maxBytes?: number } = {}): MiddlewareHandler<ServerEnv> {
  const maxBytes = options.maxBytes ?? defaultMaxBodyBytes;
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new HttpError({
        status: 413,
        code: "payload_too_large",
        message: `The request body is larger than the limit of ${maxBytes} bytes.`,
      });
    },
  });
}
