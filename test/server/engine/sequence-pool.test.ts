import { test } from "node:test";
import assert from "node:assert/strict";
import { Pool } from "../../../src/server/engine/sequence-pool.js";

test("S1.6 issue 10: the pool lends each item to one holder and never queues (capacity is the one queue)", () => {
  const pool = new Pool(["a", "b"]);
  const first = pool.take();
  const second = pool.take();
  assert.deepEqual([first.item, second.item].sort(), ["a", "b"]);
  assert.throws(
    () => pool.take(),
    (error: { status?: number; code?: string; message: string }) =>
      error.status === 503 && error.code === "server_busy" && /All 2 sequences/.test(error.message),
  );
  first.release();
  first.release(); // idempotent: the item is not lent twice
  assert.equal(pool.take().item, first.item);
  assert.throws(() => pool.take(), /busy/);
});

test("issue 10 the pool lends the first free item in its order, so busy sequence ids stay consecutive", () => {
  const pool = new Pool([0, 1, 2, 3]);
  const lent = [pool.take(), pool.take(), pool.take()];
  assert.deepEqual(
    lent.map((l) => l.item),
    [0, 1, 2],
  );
  lent[1].release();
  lent[0].release();
  assert.equal(pool.take().item, 0, "the lowest free item, not the last released");
  assert.equal(pool.take().item, 1);
  assert.equal(pool.take().item, 3);
});
