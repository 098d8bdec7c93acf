import { test } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import { capacity } from "../../../src/server/middleware/capacity.js";
import { renderError } from "../../../src/server/http-error.js";
import type { ServerEnv } from "../../../src/server/server-env.js";

/** An app whose requests run until the test releases them, one by one. */
function gatedApp(options: Parameters<typeof capacity>[0]) {
  const limit = capacity(options);
  const gates: (() => void)[] = [];
  const started: string[] = [];
  const app = new Hono<ServerEnv>();
  app.onError((error) => renderError(error));
  app.get("/work/:id", limit, async (c) => {
    started.push(c.req.param("id"));
    await new Promise<void>((resolve) => gates.push(resolve));
    return c.text(c.req.param("id"));
  });
  app.get("/stream/:id", limit, (c) => {
    started.push(c.req.param("id"));
    c.set("work", new Promise<void>((resolve) => gates.push(resolve)));
    return c.text("streaming");
  });
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  return { app, limit, gates, started, tick };
}

test("S1.6 capacity: runs maxConcurrent at once, queues maxQueue, refuses the rest with 429 and Retry-After", async () => {
  const { app, limit, gates, started, tick } = gatedApp({
    maxConcurrent: 2,
    maxQueue: 1,
    retryAfterSeconds: 7,
  });
  const pending = ["a", "b", "c"].map((id) => app.request(`/work/${id}`));
  await tick();
  assert.deepEqual(started, ["a", "b"]);
  assert.equal(limit.running, 2);
  assert.equal(limit.queued, 1);
  const refused = await app.request("/work/d");
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "7");
  assert.equal(((await refused.json()) as { error: { code: string } }).error.code, "too_many_requests");
  gates.shift()!();
  await tick();
  assert.deepEqual(started, ["a", "b", "c"], "the waiting request runs when a slot frees");
  while (gates.length > 0) gates.shift()!();
  assert.deepEqual(await Promise.all(pending.map(async (p) => (await p).text())), ["a", "b", "c"]);
  assert.equal(limit.running, 0);
});

test("S1.6 capacity: a streamed reply holds its slot until its work ends", async () => {
  const { app, limit, gates, tick } = gatedApp({ maxConcurrent: 1, maxQueue: 0 });
  assert.equal((await app.request("/stream/a")).status, 200);
  assert.equal(limit.running, 1);
  assert.equal((await app.request("/stream/b")).status, 429);
  gates.shift()!();
  await tick();
  assert.equal(limit.running, 0);
  assert.equal((await app.request("/stream/c")).status, 200);
});

test("S1.6 capacity: a waiting request whose client leaves leaves the queue", async () => {
  const { app, limit, gates, started, tick } = gatedApp({ maxConcurrent: 1, maxQueue: 1 });
  const first = app.request("/work/a");
  const controller = new AbortController();
  const leaving = app.request(new Request("http://x/work/b", { signal: controller.signal }));
  await tick();
  assert.equal(limit.queued, 1);
  controller.abort();
  assert.equal((await leaving).status, 499);
  assert.equal(limit.queued, 0);
  gates.shift()!();
  await first;
  assert.deepEqual(started, ["a"]);
  assert.equal(limit.running, 0);
});

test("S1.6 capacity: the defaults are one at a time and 16 waiting", async () => {
  const { app, limit, gates, tick } = gatedApp(undefined);
  const pending = Array.from({ length: 17 }, (_, i) => app.request(`/work/${i}`));
  await tick();
  assert.equal(limit.running, 1);
  assert.equal(limit.queued, 16);
  assert.equal((await app.request("/work/x")).status, 429);
  for (let i = 0; i < 17; i++) {
    while (gates.length === 0) await tick();
    gates.shift()!();
  }
  await Promise.all(pending);
});
