import { test } from "node:test";
import assert from "node:assert/strict";
import { Hono } from "hono";
import {
  type RequestLogEntry,
  formatRequestLog,
  requestLog,
} from "../../../src/server/middleware/request-log.js";
import type { ServerEnv } from "../../../src/server/server-env.js";

function appLogging(logContent = false) {
  const lines: string[] = [];
  const entries: RequestLogEntry[] = [];
  const app = new Hono<ServerEnv>();
  app.use(requestLog({ write: (line, entry) => (lines.push(line), entries.push(entry)), logContent }));
  app.get("/plain", (c) => c.text("ok"));
  app.get("/tokens", (c) => {
    c.set("usage", { promptTokens: 12, completionTokens: 5 });
    c.set("content", { prompt: "secret prompt", output: "secret output" });
    return c.text("ok");
  });
  let finish!: () => void;
  app.get("/stream", (c) => {
    c.set("work", new Promise<void>((resolve) => (finish = resolve)));
    return c.text("streaming");
  });
  return { app, lines, entries, finish: () => finish() };
}

test("S1.8 one line per request: method, path, status, duration", async () => {
  const { app, lines, entries } = appLogging();
  await app.request("/plain?q=1");
  await app.request("/missing");
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^GET \/plain 200 \d+ms$/);
  assert.match(lines[1], /^GET \/missing 404 \d+ms$/);
  assert.ok(entries[0].durationMs >= 0);
});

test("S1.8 tokens in and out are logged; prompts and outputs are not, unless asked", async () => {
  const quiet = appLogging();
  await quiet.app.request("/tokens");
  assert.match(quiet.lines[0], /^GET \/tokens 200 \d+ms tokens 12\/5$/);
  assert.ok(!quiet.lines[0].includes("secret"));
  assert.equal(quiet.entries[0].prompt, undefined);
  const loud = appLogging(true);
  await loud.app.request("/tokens");
  assert.match(loud.lines[0], /prompt "secret prompt" output "secret output"$/);
});

test("S1.8 a streamed reply is logged when its work ends", async () => {
  const { app, lines, finish } = appLogging();
  await app.request("/stream");
  assert.equal(lines.length, 0);
  finish();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(lines.length, 1);
});

test("S1.8 formatRequestLog renders an entry", () => {
  assert.equal(
    formatRequestLog({
      method: "POST",
      path: "/embeddings",
      status: 200,
      durationMs: 3.4,
      promptTokens: 4,
      completionTokens: 0,
    }),
    "POST /embeddings 200 3ms tokens 4/0",
  );
});
