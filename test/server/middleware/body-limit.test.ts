import { test } from "node:test";
import assert from "node:assert/strict";
import { bodyLimit, defaultMaxBodyBytes } from "../../../src/server/middleware/body-limit.js";
import { jsonBody } from "../../../src/server/middleware/json-body.js";
import { middlewareApp } from "../../support/middleware-app.js";

const app = middlewareApp(bodyLimit({ maxBytes: 16 }), jsonBody());

test("S1.4 body limit: the default is 4 MiB", () => {
  assert.equal(defaultMaxBodyBytes, 4 * 1024 * 1024);
});

test("S1.4 body limit: a body at the limit passes", async () => {
  const body = '{"a":"12345678"}';
  assert.equal(body.length, 16);
  const response = await app.request("/x", {
    method: "POST",
    body,
    headers: { "content-type": "application/json" },
  });
  assert.equal(response.status, 200);
});

test("S1.4 body limit: a streamed body over the limit is 413, naming the limit", async () => {
  const response = await app.request("/x", { method: "POST", body: JSON.stringify({ a: "x".repeat(20) }) });
  assert.equal(response.status, 413);
  const { error } = (await response.json()) as { error: { code: string; message: string } };
  assert.equal(error.code, "payload_too_large");
  assert.match(error.message, /limit of 16 bytes/);
});

test("S1.4 body limit: a Content-Length over the limit is 413 before reading", async () => {
  const response = await app.request("/x", {
    method: "POST",
    headers: { "content-length": "1000" },
    body: "{}",
  });
  assert.equal(response.status, 413);
});
