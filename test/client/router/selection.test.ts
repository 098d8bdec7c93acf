// Router selection and cooling as pure functions (issue 14): priority first, then the strategy;
// which failures fail over and how long a deployment cools down.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { type Candidate, choose } from "../../../src/client/router/selection.js";
import { isDeploymentFault, judgeFailure } from "../../../src/client/router/cooling.js";

const candidate = (over: Partial<Candidate> = {}): Candidate => ({
  priority: 0,
  weight: 1,
  inFlight: 0,
  coolingUntilMs: 0,
  rotation: 0,
  ...over,
});
const NOW = 1_000_000;

describe("issue 14 router selection", () => {
  test("issue 14 priority first: a lower number wins while it is available, whatever the strategy", () => {
    const list = [candidate({ priority: 1 }), candidate({ priority: 0 }), candidate({ priority: 2 })];
    for (const strategy of ["priority", "least-busy", "round-robin"] as const) {
      for (const random of [0, 0.5, 0.99])
        assert.deepEqual(choose(list, strategy, NOW, random), { available: true, index: 1 });
    }
    list[1] = candidate({ priority: 0, coolingUntilMs: NOW + 1 });
    assert.deepEqual(
      choose(list, "priority", NOW, 0.5),
      { available: true, index: 0 },
      "the next priority while it cools",
    );
    list[1] = candidate({ priority: 0, coolingUntilMs: NOW });
    assert.deepEqual(
      choose(list, "priority", NOW, 0.5),
      { available: true, index: 1 },
      "cooled down at its time",
    );
  });

  test("issue 14 weighted random within a priority: weight 3 against 1 gets three quarters of the draws", () => {
    const list = [
      candidate({ weight: 3 }),
      candidate({ weight: 1 }),
      candidate({ priority: 1, weight: 100 }),
    ];
    const counts = [0, 0, 0];
    for (let i = 0; i < 1000; i++)
      counts[(choose(list, "priority", NOW, i / 1000) as { index: number }).index]++;
    assert.deepEqual(counts, [750, 250, 0]);
  });

  test("issue 14 least-busy picks the fewest in flight; ties are broken by weight", () => {
    const list = [candidate({ inFlight: 3 }), candidate({ inFlight: 1 }), candidate({ inFlight: 2 })];
    assert.deepEqual(choose(list, "least-busy", NOW, 0.1), { available: true, index: 1 });
    const tied = [
      candidate({ inFlight: 1, weight: 1 }),
      candidate({ inFlight: 1, weight: 3 }),
      candidate({ inFlight: 5 }),
    ];
    assert.equal((choose(tied, "least-busy", NOW, 0.1) as { index: number }).index, 0);
    assert.equal((choose(tied, "least-busy", NOW, 0.5) as { index: number }).index, 1);
  });

  test("issue 14 round-robin rotates, smoothly by weight (5, 1, 1 → a a b a c a a)", () => {
    const even = [candidate(), candidate(), candidate()];
    const order = Array.from(
      { length: 6 },
      () => (choose(even, "round-robin", NOW, 0) as { index: number }).index,
    );
    assert.deepEqual(order, [0, 1, 2, 0, 1, 2]);
    const weighted = [candidate({ weight: 5 }), candidate({ weight: 1 }), candidate({ weight: 1 })];
    const names = Array.from(
      { length: 7 },
      () => "abc"[(choose(weighted, "round-robin", NOW, 0) as { index: number }).index],
    );
    assert.deepEqual(names.join(""), "aabacaa");
  });

  test("issue 14 when every deployment cools, the soonest is named with its wait", () => {
    const list = [
      candidate({ coolingUntilMs: NOW + 5000 }),
      candidate({ priority: 1, coolingUntilMs: NOW + 200 }),
      candidate({ coolingUntilMs: NOW + 900 }),
    ];
    assert.deepEqual(choose(list, "priority", NOW, 0), { available: false, index: 1, waitMs: 200 });
  });
});

describe("issue 14 router cooling", () => {
  const settings = { maxRetries: 3, maxRetryDelayMs: 60_000, retryDelayMs: 800 };
  const context = { nowMs: NOW, random: 1 };
  const status = (statusCode: number, headers: Record<string, string> = {}) =>
    ({ kind: "status", statusCode, header: (name: string) => headers[name] ?? null }) as const;

  test("issue 14 a 429 cools until its retry header says, each of the three headers, and fails over", () => {
    assert.deepEqual(judgeFailure(status(429, { "retry-after-ms": "1500" }), 1, settings, context), {
      failover: true,
      cooldown: { ms: 1500, source: "retry-after-ms" },
    });
    assert.deepEqual(
      judgeFailure(status(429, { "x-ms-retry-after-ms": "250" }), 1, settings, context).cooldown,
      {
        ms: 250,
        source: "x-ms-retry-after-ms",
      },
    );
    assert.deepEqual(
      judgeFailure(status(429, { "retry-after": "120" }), 1, settings, context).cooldown,
      {
        ms: 120_000,
        source: "retry-after",
      },
      "past maxRetryDelayMs too: the deployment stays out until then",
    );
    assert.deepEqual(judgeFailure(status(429), 2, settings, context).cooldown, {
      ms: 1600,
      source: "backoff",
    });
  });

  test("issue 14 408, 5xx, 401, 403, 404 and connection failures cool with a backoff that grows while they repeat", () => {
    for (const code of [408, 500, 502, 503, 504, 401, 403, 404]) {
      assert.equal(isDeploymentFault(code), true, String(code));
      assert.deepEqual(judgeFailure(status(code), 1, settings, context), {
        failover: true,
        cooldown: { ms: 800, source: "backoff" },
      });
    }
    assert.deepEqual(judgeFailure({ kind: "connection-error" }, 3, settings, context).cooldown, {
      ms: 3200,
      source: "backoff",
    });
    assert.deepEqual(judgeFailure({ kind: "timeout" }, 20, settings, context).cooldown, {
      ms: 60_000,
      source: "backoff",
    });
  });

  test("issue 14 other 4xx do not fail over and leave the deployment alone: the request is wrong", () => {
    for (const code of [400, 409, 413, 415, 422]) {
      assert.equal(isDeploymentFault(code), false);
      assert.deepEqual(judgeFailure(status(code), 1, settings, context), { failover: false });
    }
    assert.deepEqual(judgeFailure({ kind: "aborted" }, 1, settings, context), { failover: false });
    const broken = judgeFailure({ kind: "broken-response" }, 1, settings, context);
    assert.equal(broken.failover, false, "the deployment did the work: not sent again (P4.1)");
    assert.ok(broken.cooldown !== undefined, "but it cools down");
  });
});
