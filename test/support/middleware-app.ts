// A minimal Hono app around one middleware, with the server's error handler, for unit tests.
import { Hono, type MiddlewareHandler } from "hono";
import { renderError } from "../../src/server/http-error.js";
import type { ServerEnv } from "../../src/server/server-env.js";

export function middlewareApp(...middleware: MiddlewareHandler<ServerEnv>[]): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  app.onError((error) => renderError(error));
  app.use(...middleware);
  app.all("*", (c) => c.json({ ok: true, body: c.get("body") ?? null }));
  return app;
}
