// Reads a JSON object body (S1.4): a wrong content type is 415, text that is not JSON is 400, and
// JSON that is not an object is 400. `JSON.parse` keeps `__proto__` as an own data key, and the
// readers in request/ use own keys only, so the body can't reach any prototype (quality.md Q3).
import type { MiddlewareHandler } from "hono";
import { HttpError, badRequest } from "../http-error.js";
import { isJsonObject } from "../request/fields.js";
import type { ServerEnv } from "../server-env.js";

/** `application/json`, any `+json` type, with or without parameters. */
const jsonContentType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/**
 * Parses the body into `c.var.body`. A missing Content-Type is read as JSON, since simple clients
 * often send none; any other type is refused.
 */
export function jsonBody(): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const type = c.req.header("content-type");
    if (type !== undefined && !jsonContentType.test(type)) {
      throw new HttpError({
        status: 415,
        code: "unsupported_media_type",
        message: `The body must be JSON (Content-Type: application/json), not '${type}'.`,
      });
    }
    const text = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new HttpError({
        status: 400,
        code: "invalid_json",
        message: `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    if (!isJsonObject(body)) throw badRequest("The body must be a JSON object.");
    c.set("body", body);
    return next();
  };
}
