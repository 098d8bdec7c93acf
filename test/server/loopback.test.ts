import { test } from "node:test";
import assert from "node:assert/strict";
import { httpUrl, isLoopbackHost } from "../../src/server/loopback.js";

test("S1.7 loopback hosts are recognised", () => {
  for (const host of [
    "127.0.0.1",
    "127.1.2.3",
    "localhost",
    "LOCALHOST",
    "::1",
    "[::1]",
    "::ffff:127.0.0.1",
    "0:0:0:0:0:0:0:1",
  ]) {
    assert.ok(isLoopbackHost(host), host);
  }
});

test("S1.7 other hosts are not loopback", () => {
  for (const host of [
    "0.0.0.0",
    "::",
    "10.0.0.1",
    "192.168.1.2",
    "example.com",
    "128.0.0.1",
    "::ffff:10.0.0.1",
    "localhost.evil.com",
  ]) {
    assert.ok(!isLoopbackHost(host), host);
  }
});

test("S1.1 listen URLs put IPv6 hosts in brackets", () => {
  assert.equal(httpUrl("127.0.0.1", 8080), "http://127.0.0.1:8080");
  assert.equal(httpUrl("::1", 80), "http://[::1]:80");
  assert.equal(httpUrl("localhost", 1), "http://localhost:1");
});
