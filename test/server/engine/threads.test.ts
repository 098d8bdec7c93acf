import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultThreadCount, logicalCoreCount } from "../../../src/server/engine/threads.js";

test("S2.3 one thread on a machine of two or fewer cores", () => {
  assert.equal(defaultThreadCount(1, 1), 1);
  assert.equal(defaultThreadCount(2, 2), 1);
  assert.equal(defaultThreadCount(2, undefined), 1);
});

test("S2.3 the physical cores on larger machines", () => {
  assert.equal(defaultThreadCount(8, 4), 4);
  assert.equal(defaultThreadCount(16, 16), 16);
  assert.equal(defaultThreadCount(8, undefined), 4, "half the logical cores when unknown");
  assert.ok(logicalCoreCount() >= 1);
});
