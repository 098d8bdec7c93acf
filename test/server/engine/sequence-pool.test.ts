import { test } from "node:test";
import assert from "node:assert/strict";
import { Pool } from "../../../src/server/engine/sequence-pool.js";

const never = new AbortController().signal;

test("S1.6 the pool lends each item to one holder and queues the rest in order", async () => {
  const pool = new Pool(["a", "b"]);
  const first = await pool.acquire(never);
  const second = await pool.acquire(never);
  assert.deepEqual([first.item, second.item].sort(), ["a", "b"]);
  const order: string[] = [];
  const third = pool.acquire(never).then((lease) => (order.push("third"), lease));
  const fourth = pool.acquire(never).then((lease) => (order.push("fourth"), lease));
  first.release();
  first.release(); // idempotent
  assert.equal((await third).item, first.item);
  second.release();
  assert.equal((await fourth).item, second.item);
  assert.deepEqual(order, ["third", "fourth"]);
});

test("S1.6 a waiter that aborts leaves the line with the signal's reason", async () => {
  const pool = new Pool([1]);
  const held = await pool.acquire(never);
  const controller = new AbortController();
  const waiting = pool.acquire(controller.signal);
  const after = pool.acquire(never);
  controller.abort(new Error("gone"));
  await assert.rejects(waiting, /gone/);
  held.release();
  assert.equal((await after).item, 1);
  const aborted = new AbortController();
  aborted.abort(new Error("already"));
  await assert.rejects(pool.acquire(aborted.signal), /already/);
});
