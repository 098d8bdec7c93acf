import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeServerOptions } from "../../src/server/server-options.js";
import { createServer } from "../../src/server/index.js";

test("S1.6 the defaults: one at a time, 16 waiting, 4 MiB bodies, no key, no CORS", () => {
  const options = normalizeServerOptions({ modelPath: "m.gguf" });
  assert.equal(options.maxConcurrent, 1);
  assert.equal(options.maxQueue, 16);
  assert.equal(options.maxBodyBytes, 4 * 1024 * 1024);
  assert.equal(options.apiKey, undefined);
  assert.equal(options.insecureNoAuth, false);
  assert.deepEqual(options.corsOrigins, []);
  assert.equal(typeof options.log, "function");
  assert.ok(Object.isFrozen(options));
});

test("S1.1 exactly one of modelPath and engine", () => {
  assert.throws(() => normalizeServerOptions({}), /one of 'modelPath'.*'replies'.*or an 'engine'/);
  assert.throws(() => normalizeServerOptions({ modelPath: "m", replies: [] }), /and only one/);
});

test("S1.1 unknown options and bad values are refused, naming the option", () => {
  assert.throws(
    () => normalizeServerOptions({ modelPath: "m", port: 80 } as never),
    /Unknown server option 'port'/,
  );
  assert.throws(
    () => normalizeServerOptions({ modelPath: "m", maxConcurrent: 0 }),
    /'maxConcurrent' must be an integer of at least 1/,
  );
  assert.throws(() => normalizeServerOptions({ modelPath: "m", maxQueue: -1 }), /'maxQueue'/);
  assert.throws(() => normalizeServerOptions({ modelPath: "m", threads: 1.5 }), /'threads'/);
  assert.throws(
    () => normalizeServerOptions({ modelPath: "m", apiKey: "" }),
    /'apiKey' must be a non-empty string/,
  );
});

test("S1.1 a missing model file fails createServer with the path", async () => {
  await assert.rejects(
    createServer({ modelPath: "/nonexistent/model.gguf", log: false }),
    /nonexistent\/model\.gguf/,
  );
});
