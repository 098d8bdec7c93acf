// Reads a JSON object body (S1.4): a wrong content type is 415, text that is not JSON is 400, and
// JSON that is not an object is 400. `JSON.parse` keeps `__proto__` as an own data key, and the
// readers in request/ use own keys only, so the body can't reach any prototype (quality.md Q3).
import type { MiddlewareHandler } from "hono";
import { HttpError, badRequest } from "../http-error.js";
import { isJsonObject } from "../request/fields.js";
import type { ServerEnv } from "../server-env.js";

/**
 * How deep a body may nest. JSON.parse takes any depth, but every reader after it (schema
 * conversion, grammar building, logging) recurses: a tool schema nested 1,500 deep overflowed the
 * stack (issue 10). 64 levels leave about 30 levels of JSON Schema, three times OpenAI's limit.
 */
export const maxBodyDepth = 64;

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
    // Read by the body limit when it ran first (always, in the server).
    const text = c.get("bodyText") ?? (await c.req.text());
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
    checkDepth(body);
    c.set("body", body);
    return next();
  };
}

/** Refuses a body nested deeper than `maxBodyDepth`, naming where (without recursing itself). */
function checkDepth(body: object): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: body, depth: 1, path: "" }];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (depth > maxBodyDepth) {
      const shown = path.length > 120 ? `${path.slice(0, 120)}...` : path;
      throw badRequest(
        `The body nests deeper than ${maxBodyDepth} levels (at ${shown}); flatten it.`,
        path.split(/[.[]/)[0],
      );
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (typeof item === "object" && item !== null)
          stack.push({ value: item, depth: depth + 1, path: `${path}[${index}]` });
      });
    } else {
      for (const [key, item] of Object.entries(value as object)) {
        if (typeof item === "object" && item !== null)
          stack.push({ value: item, depth: depth + 1, path: path === "" ? key : `${path}.${key}` });
      }
    }
  }
}
