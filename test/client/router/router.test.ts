// The routers over real loopback upstreams (issue 14): each fake deployment is an HTTP server on
// 127.0.0.1 that answers as planned: 429 with each retry header, 503, a reset connection, a stall.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import type { HttpResponseError } from "../../../src/index.js";
import {
  AzureKeyCredential,
  type AttemptEnd,
  type AttemptStart,
  RateLimitError,
  ServiceRequestError,
  ServiceResponseError,
} from "../../../src/index.js";
import {
  ChatCompletionsRouter,
  type ChatCompletionsRouterOptions,
  EmbeddingsRouter,
  type RouterDeployment,
} from "../../../src/client/router/index.js";
import { type ReplyPlan, useLoopbackServer } from "../../support/loopback-server.js";
import { hiMessages, okReply, streamReply } from "../../support/chat-replies.js";

type T = Parameters<typeof useLoopbackServer>[0];

const ok = (content: string): ReplyPlan => ({
  body: {
    id: "x",
    created: 1,
    model: "m",
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content } }],
  },
});
const status = (code: number, headers: Record<string, string> = {}): ReplyPlan => ({
  status: code,
  headers: { "content-type": "application/json", ...headers },
  body: { error: { code: `e${code}`, message: `status ${code}` } },
});

/** One deployment per plan list, named a, b, c... at priority 0 unless `over` says otherwise. */
async function upstreams(t: T, ...plans: (ReplyPlan | readonly ReplyPlan[])[]) {
  return Promise.all(plans.map((p) => useLoopbackServer(t, ...(Array.isArray(p) ? p : [p as ReplyPlan]))));
}

function router(
  servers: readonly { url: string }[],
  options: ChatCompletionsRouterOptions = {},
  over: (Partial<RouterDeployment> | undefined)[] = [],
) {
  return new ChatCompletionsRouter(
    servers.map((s, i) => ({
      name: "abcdef"[i],
      endpoint: s.url,
      credential: new AzureKeyCredential(`key-${i}-secret`),
      ...over[i],
    })),
    // Cooldowns of seconds, so that a deployment that failed is still cooling when the test looks.
    { apiVersion: null, retryDelayMs: 5000, ...options },
  );
}

const content = (answer: { choices: { message: { content: string | null } }[] }) =>
  answer.choices[0].message.content;

describe("issue 14 router: failover and cooling", () => {
  for (const [header, value, expectedMs] of [
    ["retry-after-ms", "30000", 30_000],
    ["x-ms-retry-after-ms", "20000", 20_000],
    ["retry-after", "40", 40_000],
  ] as const) {
    test(`issue 14 a 429 with ${header} cools its deployment that long and the call moves at once to another`, async (t) => {
      const [a, b] = await upstreams(t, [status(429, { [header]: value }), ok("from a")], ok("from b"));
      const r = router([a, b], {}, [{ priority: 0 }, { priority: 1 }]);
      const before = Date.now();
      const answer = await r.complete({ messages: hiMessages });
      assert.equal(content(answer), "from b");
      const [sa, sb] = r.deployments();
      assert.equal(sa.status, "cooling");
      const until = sa.coolingUntil!.getTime() - before;
      assert.ok(until >= expectedMs - 100 && until <= expectedMs + 10_000, `cooling for ${until} ms`);
      assert.equal(sa.rateLimited, 1);
      assert.equal(sb.status, "available");
      // While a cools, the next call goes straight to b: a sees one request only.
      assert.equal(content(await r.complete({ messages: hiMessages })), "from b");
      assert.equal(a.requests.length, 1);
      assert.equal(b.requests.length, 2);
    });
  }

  test("issue 14 no sleeping while another could answer: the failover waits 0 ms, and retries say 'failover'", async (t) => {
    const [a, b] = await upstreams(t, status(429, { "retry-after-ms": "50000" }), status(503));
    const r = router([a, b], { maxRetries: 1 }, [{ priority: 0 }, { priority: 1 }]);
    const attempts: [number, number][] = [];
    const error = (await r
      .complete({ messages: hiMessages, onResponse: (x) => attempts.push([x.attempt, x.status]) })
      .catch((e: unknown) => e)) as HttpResponseError;
    assert.deepEqual(attempts, [
      [1, 429],
      [2, 503],
    ]);
    assert.equal(error.statusCode, 503);
    assert.equal(error.deployment, "b");
    assert.deepEqual(
      error.retries.map((x) => [x.attempt, x.deployment, x.waitMs, x.waitSource]),
      [[1, "a", 0, "failover"]],
    );
  });

  test("issue 14 503, a reset connection and a stall each fail over, and the error lists every attempt with its deployment", async (t) => {
    const [a, b, c] = await upstreams(
      t,
      status(503, { "x-request-id": "svc-a" }),
      { resetBeforeHeaders: true },
      { neverAnswer: true },
    );
    const r = router([a, b, c], { timeoutMs: 300, maxRetries: 2 }, [
      { priority: 0 },
      { priority: 1 },
      { priority: 2 },
    ]);
    const error = (await r.complete({ messages: hiMessages }).catch((e: unknown) => e)) as Error & {
      retries: {
        attempt: number;
        deployment?: string;
        outcome: string;
        waitMs: number;
        waitSource: string;
      }[];
      deployment?: string;
    };
    assert.equal(error.name, "RequestTimeoutError");
    assert.equal(error.deployment, "c");
    assert.deepEqual(
      error.retries.map((x) => [x.attempt, x.deployment, x.outcome, x.waitMs, x.waitSource]),
      [
        [1, "a", "status", 0, "failover"],
        [2, "b", "connection-error", 0, "failover"],
      ],
    );
    assert.equal((error.retries[0] as unknown as { serviceRequestId: string }).serviceRequestId, "svc-a");
    assert.deepEqual(
      r.deployments().map((d) => [d.name, d.status, d.failures]),
      [
        ["a", "cooling", 1],
        ["b", "cooling", 1],
        ["c", "cooling", 1],
      ],
    );
  });

  test("issue 14 401, 403 and 404 fail over too (one misconfigured deployment: wrong key, missing deployment)", async (t) => {
    for (const code of [401, 403, 404]) {
      const [a, b] = await upstreams(t, status(code), ok("b"));
      const r = router([a, b], {}, [{ priority: 0 }, { priority: 1 }]);
      assert.equal(content(await r.complete({ messages: hiMessages })), "b", String(code));
      assert.equal(r.deployments()[0].status, "cooling");
    }
  });

  test("issue 14 other 4xx do not fail over: the request is wrong, and no deployment cools", async (t) => {
    const [a, b] = await upstreams(t, status(400), ok("b"));
    const r = router([a, b], {}, [{ priority: 0 }, { priority: 1 }]);
    const error = (await r.complete({ messages: hiMessages }).catch((e: unknown) => e)) as HttpResponseError;
    assert.equal(error.statusCode, 400);
    assert.equal(error.deployment, "a");
    assert.deepEqual(error.retries, []);
    assert.equal(b.requests.length, 0);
    assert.equal(r.deployments()[0].status, "available");
  });

  test("issue 14 maxRetries counts attempts across deployments (default 3: four attempts at most)", async (t) => {
    const servers = await upstreams(t, status(500), status(502), status(503), status(504), status(500));
    const r = router(servers, { maxRetryDelayMs: 0 });
    const error = (await r.complete({ messages: hiMessages }).catch((e: unknown) => e)) as HttpResponseError;
    assert.equal(error.retries.length, 3);
    assert.equal(
      servers.reduce((sum, s) => sum + s.requests.length, 0),
      4,
    );
    const one = router(await upstreams(t, status(503), status(503), status(503)), { maxRetries: 1 });
    const again = (await one
      .complete({ messages: hiMessages })
      .catch((e: unknown) => e)) as HttpResponseError;
    assert.equal(again.retries.length, 1);
  });

  test("issue 14 every deployment cooling: the call waits for the soonest within maxRetryDelayMs", async (t) => {
    const [a, b] = await upstreams(
      t,
      [status(429, { "retry-after-ms": "5000" }), ok("a")],
      [status(429, { "retry-after-ms": "150" }), ok("b again")],
    );
    const r = router([a, b], { maxRetryDelayMs: 1000 }, [{ priority: 0 }, { priority: 1 }]);
    const answer = await r.complete({ messages: hiMessages, onResponse: () => undefined });
    assert.equal(content(answer), "b again");
    assert.equal(b.requests.length, 2);
    assert.equal(a.requests.length, 1);
  });

  test("issue 14 every deployment cooling beyond maxRetryDelayMs: a RateLimitError with the soonest retryAfterMs", async (t) => {
    const [a, b] = await upstreams(
      t,
      status(429, { "retry-after": "30" }),
      status(429, { "retry-after-ms": "9000" }),
    );
    const r = router([a, b], { maxRetryDelayMs: 1000 }, [{ priority: 0 }, { priority: 1 }]);
    const error = (await r.complete({ messages: hiMessages }).catch((e: unknown) => e)) as RateLimitError;
    assert.ok(error instanceof RateLimitError);
    assert.ok(error.retryAfterMs! > 1000 && error.retryAfterMs! <= 9000, String(error.retryAfterMs));
    assert.match(error.message, /^429 Every deployment \(a, b\) is cooling down; the soonest \("b"\)/);
    assert.equal(error.code, "deployments_cooling_down");
    assert.deepEqual(
      error.retries.map((x) => x.deployment),
      ["a"],
    );
    assert.ok((error.cause as HttpResponseError).statusCode === 429);
    // A new call fails at once, without sending anything.
    const again = (await r.complete({ messages: hiMessages }).catch((e: unknown) => e)) as RateLimitError;
    assert.ok(again instanceof RateLimitError);
    assert.equal(a.requests.length + b.requests.length, 2);
  });

  test("issue 14 the cooldown backoff grows while failures repeat and resets on success", async (t) => {
    const [a] = await upstreams(t, [status(503), status(503), ok("a")]);
    const r = router([a], { retryDelayMs: 40, maxRetryDelayMs: 10_000, maxRetries: 0 });
    await r.complete({ messages: hiMessages }).catch(() => undefined);
    const first = r.deployments()[0];
    assert.equal(first.failuresInRow, 1);
    const firstWait = first.coolingUntil!.getTime() - Date.now();
    await new Promise((resolve) => setTimeout(resolve, firstWait + 5));
    await r.complete({ messages: hiMessages }).catch(() => undefined);
    assert.equal(r.deployments()[0].failuresInRow, 2);
    assert.equal(content(await r.complete({ messages: hiMessages, maxRetries: 3 })), "a");
    assert.equal(r.deployments()[0].failuresInRow, 0);
    assert.equal(r.deployments()[0].status, "available");
  });
});

describe("issue 14 router: requests", () => {
  test("issue 14 a deployment's model is sent as the body's model; the rest of the request is the same", async (t) => {
    const [a, b] = await upstreams(t, status(503), okReply);
    const r = router([a, b], { defaults: { temperature: 0.5, model: "default-model" } }, [
      { priority: 0, model: "gpt-4o-east" },
      { priority: 1, model: "gpt-4o-2" },
    ]);
    await r.complete({ messages: hiMessages, maxTokens: 7 });
    const [sentA, sentB] = [a.requests[0].json(), b.requests[0].json()] as Record<string, unknown>[];
    assert.equal(sentA.model, "gpt-4o-east");
    assert.equal(sentB.model, "gpt-4o-2");
    assert.deepEqual({ ...sentA, model: 0 }, { ...sentB, model: 0 });
    assert.equal(sentB.max_tokens, 7);
    assert.equal(sentB.temperature, 0.5);
    // Each deployment's own key, and one request id for the whole call.
    assert.equal(a.requests[0].headers["api-key"], "key-0-secret");
    assert.equal(b.requests[0].headers["api-key"], "key-1-secret");
    assert.equal(
      a.requests[0].headers["x-ms-client-request-id"],
      b.requests[0].headers["x-ms-client-request-id"],
    );
    // A raw object body gets the deployment's model too.
    b.reply(okReply);
    await r.complete({ body: { messages: hiMessages, model: "x" }, deployment: "b" });
    assert.equal((b.requests[1].json() as { model: string }).model, "gpt-4o-2");
  });

  test("issue 14 a call pinned to a deployment goes there only; an unknown name is a TypeError before any I/O", async (t) => {
    const [a, b] = await upstreams(t, ok("a"), [status(503), ok("b")]);
    const r = router([a, b], { maxRetryDelayMs: 5000, retryDelayMs: 20 });
    assert.equal(content(await r.complete({ messages: hiMessages, deployment: "b" })), "b");
    assert.equal(a.requests.length, 0, "pinned: no failover to a, b was waited for");
    await assert.rejects(r.complete({ messages: hiMessages, deployment: "zz" }), {
      name: "TypeError",
      message: /no deployment is named "zz" \(known: a, b\)/,
    });
    await assert.rejects(r.complete({ messages: [] }), TypeError);
    assert.equal(a.requests.length + b.requests.length, 2);
  });

  test("issue 14 instrumentation sees which deployment served each attempt, numbered across deployments", async (t) => {
    const [a, b] = await upstreams(t, status(503), okReply);
    const starts: AttemptStart[] = [];
    const ends: AttemptEnd[] = [];
    const r = router(
      [a, b],
      {
        instrumentation: {
          startCall: (call) => {
            assert.equal(call.clientName, "ChatCompletionsRouter");
            return {
              attemptStart: (s) => starts.push(s),
              attemptEnd: (e) => ends.push(e),
              end: () => undefined,
            };
          },
        },
      },
      [{ priority: 0 }, { priority: 1 }],
    );
    await r.complete({ messages: hiMessages });
    assert.deepEqual(
      starts.map((s) => [s.attempt, s.deployment]),
      [
        [1, "a"],
        [2, "b"],
      ],
    );
    assert.deepEqual(
      ends.map((e) => [e.attempt, e.deployment, e.outcome]),
      [
        [1, "a", 503],
        [2, "b", 200],
      ],
    );
    assert.equal(starts[0].requestId, starts[1].requestId);
  });

  test("issue 14 deployments() and util.inspect show redacted endpoints, never a key", async (t) => {
    const [a] = await upstreams(t, okReply);
    const r = new ChatCompletionsRouter(
      [
        {
          name: "east",
          endpoint: `${a.url}/v1?sig=query-secret-123`,
          credential: new AzureKeyCredential("very-secret-key"),
          weight: 2,
        },
      ],
      { apiVersion: null },
    );
    const [status] = r.deployments();
    assert.equal(status.name, "east");
    assert.equal(status.weight, 2);
    assert.doesNotMatch(status.endpoint, /query-secret-123/);
    assert.match(status.endpoint, /^http:\/\/127\.0\.0\.1:\d+\/v1\?sig=/);
    const shown = inspect(r) + JSON.stringify(r.deployments());
    assert.doesNotMatch(shown, /very-secret-key|query-secret-123/);
    assert.match(inspect(r), /ChatCompletionsRouter \{ strategy: "priority", deployments: \["east \(http/);
  });

  test("issue 14 bad configurations are refused naming the deployment", () => {
    const credential = null;
    assert.throws(() => new ChatCompletionsRouter([]), /non-empty array/);
    assert.throws(
      () =>
        new ChatCompletionsRouter([
          { name: "a", endpoint: "http://x", credential },
          { name: "a", endpoint: "http://y", credential },
        ]),
      /two deployments are named "a"/,
    );
    assert.throws(
      () => new ChatCompletionsRouter([{ name: "a", endpoint: "http://x", credential, weight: 0 }]),
      /deployments\[0\] \("a"\): weight/,
    );
    assert.throws(
      () => new ChatCompletionsRouter([{ name: "a", endpoint: "http://x", credential: "k" as never }]),
      /Wrap the key/,
    );
    assert.throws(
      () => new ChatCompletionsRouter([{ name: "a", endpoint: "nope", credential }]),
      /deployments\[0\] \("a"\)/,
    );
    assert.throws(
      () => new ChatCompletionsRouter([{ name: "a", endpoint: "http://x", credential, region: 1 } as never]),
      /unknown key "region"/,
    );
    assert.throws(
      () =>
        new ChatCompletionsRouter([{ name: "a", endpoint: "http://x", credential }], {
          strategy: "fastest" as never,
        }),
      /strategy must be one of/,
    );
  });
});

describe("issue 14 router: streams", () => {
  test("issue 14 a stream fails over before its first update (a 503, then a reset after the headers)", async (t) => {
    const [a, b, c] = await upstreams(
      t,
      status(503),
      { headers: { "content-type": "text/event-stream" }, resetAfterHeaders: true },
      streamReply({ content: "streamed from c" }),
    );
    const r = router([a, b, c], {}, [{ priority: 0 }, { priority: 1 }, { priority: 2 }]);
    const stream = await r.complete({ messages: hiMessages, stream: true });
    const final = await stream.finalChatCompletions();
    assert.equal(final.choices[0].message.content, "streamed from c");
    assert.deepEqual(
      r.deployments().map((d) => [d.status, d.inFlight]),
      [
        ["cooling", 0],
        ["cooling", 0],
        ["available", 0],
      ],
    );
  });

  test("issue 14 after its first update a stream does not fail over: the error keeps partial (P5.10)", async (t) => {
    const events = streamReply({ content: "abcdefgh" }).chunks!;
    const [a, b] = await upstreams(
      t,
      {
        headers: { "content-type": "text/event-stream" },
        chunks: events.slice(0, 2),
        pauseMs: 10,
        resetAfterHeaders: true,
      },
      streamReply({ content: "never" }),
    );
    const r = router([a, b], {}, [{ priority: 0 }, { priority: 1 }]);
    const stream = await r.complete({ messages: hiMessages, stream: true });
    const error = (await stream.finalChatCompletions().catch((e: unknown) => e)) as ServiceResponseError;
    assert.ok(error instanceof ServiceResponseError);
    assert.equal(error.partial?.choices[0].message.content, "abcd");
    assert.equal(b.requests.length, 0);
    assert.equal(r.deployments()[0].inFlight, 0, "the stream is over");
  });

  test("issue 14 a stream in flight counts for least-busy until it ends", async (t) => {
    const [a, b] = await upstreams(t, streamReply({ content: "one" }), streamReply({ content: "two" }));
    const r = router([a, b], { strategy: "least-busy" });
    const first = await r.complete({ messages: hiMessages, stream: true });
    const busy = r.deployments().find((d) => d.inFlight === 1)!;
    const second = await r.complete({ messages: hiMessages, stream: true });
    assert.equal(
      r.deployments().filter((d) => d.inFlight === 1).length,
      2,
      "the second went to the idle one",
    );
    assert.ok(busy);
    await first.finalChatCompletions();
    await second.finalChatCompletions();
    assert.deepEqual(
      r.deployments().map((d) => d.inFlight),
      [0, 0],
    );
  });
});

describe("issue 14 EmbeddingsRouter", () => {
  test("issue 14 embeddings fail over like chat, with the deployment's model", async (t) => {
    const embedding = {
      body: {
        object: "list",
        data: [{ object: "embedding", index: 0, embedding: [0.5, 0.25] }],
        model: "e",
        usage: { prompt_tokens: 1, total_tokens: 1 },
      },
    };
    const [a, b] = await upstreams(t, { resetBeforeHeaders: true }, embedding);
    const r = new EmbeddingsRouter(
      [
        { name: "a", endpoint: a.url, credential: null, priority: 0 },
        { name: "b", endpoint: b.url, credential: null, priority: 1, model: "text-embedding-3-small" },
      ],
      { apiVersion: null, strategy: "round-robin" },
    );
    const result = await r.embed({ input: ["hello"] });
    assert.deepEqual(result.data[0].embedding, [0.5, 0.25]);
    assert.equal((b.requests[0].json() as { model: string }).model, "text-embedding-3-small");
    assert.equal(r.deployments()[0].status, "cooling");
    // Pinned to a, which cools briefly: the call waits for it, then a's failure is the call's.
    const error = (await r
      .embed({ input: ["x"], deployment: "a", maxRetries: 0 })
      .catch((e: unknown) => e)) as ServiceRequestError;
    assert.ok(error instanceof ServiceRequestError);
    assert.equal(error.deployment, "a");
  });
});
