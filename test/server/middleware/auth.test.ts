import { test } from "node:test";
import assert from "node:assert/strict";
import { apiKeyAuth, requestKey } from "../../../src/server/middleware/auth.js";
import { middlewareApp } from "../../support/middleware-app.js";

const app = middlewareApp(apiKeyAuth({ apiKey: "key-1", openPaths: ["/health", "/open"] }));

test("S1.7 auth: no key is 401 with the envelope and WWW-Authenticate", async () => {
  const response = await app.request("/info");
  assert.equal(response.status, 401);
  assert.equal(response.headers.get("www-authenticate"), "Bearer");
  assert.equal(((await response.json()) as { error: { code: string } }).error.code, "unauthorized");
});

test("S1.7 auth: a wrong key is 401, of any length", async () => {
  for (const key of ["key-2", "k", "key-1-and-more", ""]) {
    assert.equal((await app.request("/info", { headers: { "api-key": key } })).status, 401, key);
  }
});

test("S1.7 auth: the key passes as api-key or Bearer (any case)", async () => {
  assert.equal((await app.request("/info", { headers: { "api-key": "key-1" } })).status, 200);
  assert.equal((await app.request("/info", { headers: { authorization: "Bearer key-1" } })).status, 200);
  assert.equal((await app.request("/info", { headers: { authorization: "bearer   key-1" } })).status, 200);
  assert.equal((await app.request("/info", { headers: { authorization: "Basic key-1" } })).status, 401);
});

test("S1.7 auth: open paths need no key", async () => {
  assert.equal((await app.request("/health")).status, 200);
  assert.equal((await app.request("/open")).status, 200);
});

test("S1.7 auth: requestKey prefers api-key over Authorization", () => {
  assert.equal(requestKey(new Headers({ "api-key": "a", authorization: "Bearer b" })), "a");
  assert.equal(requestKey(new Headers({ authorization: "Bearer b" })), "b");
  assert.equal(requestKey(new Headers()), undefined);
});
