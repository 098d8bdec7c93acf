import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mergeHeaders } from "../../src/internal/headers.js";
import { REDACTED, redactHeaders, redactText, redactUrl, redactValue } from "../../src/internal/redact.js";
import { detectRuntime, userAgentHeader } from "../../src/internal/user-agent.js";
import { randomUUID } from "../../src/internal/uuid.js";
import { SDK_VERSION } from "../../src/internal/version.js";
import { sleep } from "../../src/internal/sleep.js";

test("P2.5 header sets merge case-insensitively, later winning; null removes a default", () => {
  const merged = mergeHeaders(
    { accept: "application/json", "x-a": "1" },
    { Accept: "text/plain", "X-A": null, "X-B": undefined },
  );
  assert.deepEqual(merged, { accept: "text/plain" });
  assert.deepEqual(mergeHeaders({}, new Headers({ "X-C": "3" })), { "x-c": "3" });
});

test("P3.4 redaction of header values, URLs and known secrets", () => {
  assert.deepEqual(
    redactHeaders({ authorization: "Bearer k", "api-key": "k", accept: "a", "x-my-token": "t" }),
    {
      authorization: REDACTED,
      "api-key": REDACTED,
      accept: "a",
      "x-my-token": REDACTED,
    },
  );
  assert.equal(
    redactUrl("https://u:p@h.example/x?api-version=1&sig=abc"),
    `https://${encodeURIComponent(REDACTED)}@h.example/x?api-version=1&sig=${encodeURIComponent(REDACTED)}`,
  );
  assert.equal(redactText("key k3y456 and k3y456", ["k3y456"]), `key ${REDACTED} and ${REDACTED}`);
  const body = { error: { message: "bad k3y456", list: ["k3y456"] }, ok: 1 };
  assert.deepEqual(redactValue(body, ["k3y456"]), {
    error: { message: `bad ${REDACTED}`, list: [REDACTED] },
    ok: 1,
  });
  assert.equal(redactValue(body, ["absent"]), body, "nothing copied when no secret is present");
});

test("P2.5 the user agent names the real runtime, with an optional prefix", () => {
  const [name, value] = userAgentHeader(undefined);
  assert.equal(name, "user-agent");
  assert.equal(
    value,
    `ai-inference-js/${SDK_VERSION} Node.js/${process.versions.node} (${process.platform}; ${process.arch})`,
  );
  assert.match(userAgentHeader("my-app/1.0")[1], /^my-app\/1\.0 ai-inference-js\//);
  const deno = detectRuntime({
    Deno: { version: { deno: "2.1.0" }, build: { os: "linux", arch: "x86_64" } },
    process: { versions: { node: "20" } },
  });
  assert.deepEqual(deno, { name: "Deno", version: "2.1.0", platform: "linux; x86_64" });
  const bun = detectRuntime({
    process: { versions: { node: "22", bun: "1.1.0" }, platform: "darwin", arch: "arm64" },
  });
  assert.deepEqual(bun, { name: "Bun", version: "1.1.0", platform: "darwin; arm64" });
  const browser = detectRuntime({ document: {}, navigator: { userAgent: "Mozilla/5.0" } });
  assert.deepEqual(userAgentHeader(undefined, browser), [
    "x-ms-useragent",
    `ai-inference-js/${SDK_VERSION} (Mozilla/5.0)`,
  ]);
});

test("P2.5 the SDK version in the user agent is package.json's", () => {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  assert.equal(SDK_VERSION, pkg.version);
});

test("P2.5 request ids are UUID v4", () => {
  const ids = new Set(Array.from({ length: 50 }, randomUUID));
  assert.equal(ids.size, 50);
  for (const id of ids)
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("P4.5 sleep rejects with the signal's reason as soon as it aborts", async () => {
  const controller = new AbortController();
  const reason = new Error("stop");
  const waiting = sleep(60_000, controller.signal);
  controller.abort(reason);
  await assert.rejects(waiting, (e) => e === reason);
  await assert.rejects(sleep(10, AbortSignal.abort(reason)), (e) => e === reason);
});
