import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { IdleTimer } from "../../src/streaming/idle-timer.js";

test("P5.11 the idle timer fires once a pending read has waited for the limit", async () => {
  let fired = 0;
  const timer = new IdleTimer(15, () => fired++);
  timer.waiting();
  await sleep(60);
  assert.equal(fired, 1);
  timer.stop();
});

test("P5.11 time between reads does not count: only a pending read is timed", async () => {
  let fired = 0;
  const timer = new IdleTimer(15, () => fired++);
  timer.waiting();
  timer.settled();
  await sleep(60);
  assert.equal(fired, 0, "no read was pending");
  timer.waiting();
  await sleep(60);
  assert.equal(fired, 1);
  timer.stop();
});

test("P5.11 an idle limit of 0 or Infinity switches the timer off; stop() ends it for good", async () => {
  let fired = 0;
  for (const limit of [0, Infinity, Number.NaN]) new IdleTimer(limit, () => fired++).waiting();
  const stopped = new IdleTimer(10, () => fired++);
  stopped.waiting();
  stopped.stop();
  stopped.waiting();
  await sleep(50);
  assert.equal(fired, 0);
});
