// Capacity under load and aborts (S1.6), through the real engine: more requests than slots plus
// queue get 429 with Retry-After, every other one a full answer, and a request whose client
// leaves frees its slot. The server's log line for a request is written after its slot is freed,
// so waiting for it is how these tests know, without timing.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { InferenceServer, RequestLogEntry } from "../../src/server/index.js";
import { ask, errorOf, postJson, readSse, startTinyServer } from "../support/tiny-server.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function logWatcher() {
  const entries: RequestLogEntry[] = [];
  const waiters: { match: (e: RequestLogEntry) => boolean; resolve: (e: RequestLogEntry) => void }[] = [];
  return {
    entries,
    write: (_line: string, entry: RequestLogEntry) => {
      entries.push(entry);
      for (const waiter of [...waiters]) {
        if (waiter.match(entry)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(entry);
        }
      }
    },
    /** Resolves with the first entry after now that matches. */
    next: (match: (e: RequestLogEntry) => boolean) =>
      new Promise<RequestLogEntry>((resolve) => waiters.push({ match, resolve })),
  };
}

/** A streamed request that holds its slot until aborted: max_tokens near the context size. */
async function holdSlot(server: InferenceServer) {
  const controller = new AbortController();
  const response = await postJson(
    server.fetch,
    "/chat/completions",
    { messages: ask("go on"), max_tokens: 1900, stream: true },
    {},
    { signal: controller.signal },
  );
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  await reader.read(); // the first chunk: the request is admitted and running
  return {
    abort: async () => {
      controller.abort();
      await assert.rejects(reader.read(), { name: "AbortError" });
    },
  };
}

const isComplete = (events: Json[]) =>
  events.at(-1) === "[DONE]" && events.at(-2).choices[0].finish_reason !== null;

describe("S1.6 queue and 429", () => {
  const log = logWatcher();
  let server: InferenceServer;
  before(async () => {
    server = await startTinyServer({ maxConcurrent: 1, maxQueue: 2, retryAfterSeconds: 3, log: log.write });
  });
  after(() => server.close());

  test("S1.6 beyond capacity plus queue the answer is 429 with Retry-After; the others get full answers", async () => {
    const holder = await holdSlot(server);
    const requests = Array.from({ length: 7 }, (_, i) =>
      postJson(server.fetch, "/chat/completions", { messages: ask(`q${i}`), max_tokens: 8, stream: true }),
    );
    // Two wait in the queue; the other five are refused at once, while the slot is still held.
    let refused = 0;
    await new Promise<void>((resolve) => {
      for (const request of requests)
        void request.then((r) => r.status === 429 && ++refused === 5 && resolve());
    });
    await holder.abort();
    const responses = await Promise.all(requests);
    const ok = responses.filter((r) => r.status === 200);
    const tooMany = responses.filter((r) => r.status === 429);
    assert.equal(ok.length, 2);
    assert.equal(tooMany.length, 5);
    for (const response of tooMany) {
      assert.equal(response.headers.get("retry-after"), "3");
      const error = await errorOf(response);
      assert.equal(error.code, "too_many_requests");
      assert.match(error.message, /busy/);
    }
    for (const response of ok) assert.ok(isComplete((await readSse(response)) as Json[]));
  });
});

describe("S1.6 a client that leaves frees its slot", () => {
  const log = logWatcher();
  let server: InferenceServer;
  before(async () => {
    server = await startTinyServer({ maxConcurrent: 1, maxQueue: 0, log: log.write });
  });
  after(() => server.close());

  test("S1.6 an aborted stream stops its generation and frees the slot for the next request", async () => {
    const holder = await holdSlot(server);
    const busy = await postJson(server.fetch, "/chat/completions", { messages: ask("x"), max_tokens: 2 });
    assert.equal(busy.status, 429, "the slot is taken while the stream runs");
    const logged = log.next((e) => e.method === "POST" && e.status === 499);
    await holder.abort();
    // The aborted stream's line, written once its slot is free: 499 with the tokens made so far (issue 10).
    const entry = await logged;
    assert.ok(entry.promptTokens! > 0 && entry.completionTokens! > 0, JSON.stringify(entry));
    const next = await postJson(server.fetch, "/chat/completions", { messages: ask("x"), max_tokens: 2 });
    assert.equal(next.status, 200);
  });

  test("S1.6 a stream whose reader cancels frees the slot", async () => {
    const response = await postJson(server.fetch, "/chat/completions", {
      messages: ask("go"),
      max_tokens: 1900,
      stream: true,
    });
    const reader = response.body!.getReader();
    await reader.read();
    const logged = log.next((e) => e.method === "POST");
    await reader.cancel();
    await logged;
    const next = await postJson(server.fetch, "/chat/completions", { messages: ask("x"), max_tokens: 2 });
    assert.equal(next.status, 200);
  });

  test("S1.6 an aborted non-streamed request stops and frees the slot (logged as 499)", async () => {
    const controller = new AbortController();
    const logged = log.next((e) => e.method === "POST");
    const pending = postJson(
      server.fetch,
      "/chat/completions",
      { messages: ask("go"), max_tokens: 1900 },
      {},
      { signal: controller.signal },
    );
    setImmediate(() => controller.abort());
    await assert.rejects(pending, { name: "AbortError" });
    assert.equal((await logged).status, 499);
    const next = await postJson(server.fetch, "/chat/completions", { messages: ask("x"), max_tokens: 2 });
    assert.equal(next.status, 200);
  });
});

describe("S1.6 a request that leaves the queue", () => {
  const log = logWatcher();
  let server: InferenceServer;
  before(async () => {
    server = await startTinyServer({ maxConcurrent: 1, maxQueue: 1, log: log.write });
  });
  after(() => server.close());

  test("S1.6 an aborted waiting request leaves the queue, making room for another", async () => {
    const holder = await holdSlot(server);
    const controller = new AbortController();
    const leftQueue = log.next((e) => e.status === 499);
    const waiting = postJson(
      server.fetch,
      "/chat/completions",
      { messages: ask("w"), max_tokens: 2 },
      {},
      { signal: controller.signal },
    );
    // While it waits the queue is full.
    const full = await postJson(server.fetch, "/chat/completions", { messages: ask("f"), max_tokens: 2 });
    assert.equal(full.status, 429);
    controller.abort();
    await assert.rejects(waiting, { name: "AbortError" });
    await leftQueue;
    const queued = postJson(server.fetch, "/chat/completions", { messages: ask("q"), max_tokens: 2 });
    await holder.abort();
    assert.equal((await queued).status, 200);
  });
});
