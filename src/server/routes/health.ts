// GET /health: open without a key (S1.7), so load balancers and the CLI can probe it. It turns
// 503 once shutdown has begun, so a balancer stops sending work.
import type { Handler } from "hono";
import type { ServerEnv } from "../server-env.js";

export function health(isClosing: () => boolean): Handler<ServerEnv> {
  return (c) => (isClosing() ? c.json({ status: "shutting_down" }, 503) : c.json({ status: "ok" }));
}
