// API key check (S1.7): with a key configured, every route but the open ones needs
// `api-key: <key>` or `Authorization: Bearer <key>`. The comparison takes the same time whatever
// the guess, so a client can't learn the key byte by byte from response times.
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { HttpError } from "../http-error.js";
import type { ServerEnv } from "../server-env.js";

export interface ApiKeyAuthOptions {
  /** The key clients must send. */
  apiKey: string;
  /** Paths that need no key. @default ["/health"] */
  openPaths?: readonly string[];
}

/** Hashing first gives both sides the same length, which `timingSafeEqual` needs. */
const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** Reads the key a request carries, from either header. */
export function requestKey(headers: Headers): string | undefined {
  const apiKey = headers.get("api-key");
  if (apiKey !== null) return apiKey;
  const match = /^Bearer\s+(.+)$/i.exec(headers.get("authorization") ?? "");
  return match?.[1].trim();
}

/**
 * Requires the API key on every route but `openPaths`.
 * @example
 * ```ts
 * app.use(apiKeyAuth({ apiKey: "secret" }));
 * ```
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): MiddlewareHandler<ServerEnv> {
  const expected = digest(options.apiKey);
  const open = new Set(options.openPaths ?? ["/health"]);
  return async (c, next) => {
    if (open.has(c.req.path)) return next();
    const given = requestKey(c.req.raw.headers);
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw new HttpError({
        status: 401,
        code: "unauthorized",
        message:
          given === undefined
            ? "This server needs an API key: send 'api-key: <key>' or 'Authorization: Bearer <key>'."
            : "The API key is not valid.",
        headers: { "www-authenticate": "Bearer" },
      });
    }
    return next();
  };
}
