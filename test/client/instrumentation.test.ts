// The clients' instrumentation hook (docs/tracing.md "The hook"), with a plain recording observer
// and no OpenTelemetry: per call (start with the merged request, end with the result or error),
// per attempt, per stream update and stream end; guarded observers; the registry; the options.
import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  type AttemptEnd,
  type AttemptStart,
  type CallEnd,
  type CallObserver,
  ChatCompletionsClient,
  type ClientInstrumentation,
  EmbeddingsClient,
  type InstrumentedCall,
  registerInstrumentation,
} from "../../src/index.js";
import { type ReplyPlan, useLoopbackServer } from "../support/loopback-server.js";
import { syntheticChatStream } from "../support/synthetic-stream.js";
import { collectGarbageUntil } from "../support/spans.js";

type Event =
  | { kind: "start"; call: InstrumentedCall; request: unknown }
  | { kind: "attemptStart"; attempt: AttemptStart }
  | { kind: "attemptEnd"; attempt: AttemptEnd }
  | { kind: "update" }
  | { kind: "end"; end: CallEnd }
  | { kind: "wrap" };

/** An instrumentation that records everything it is told. */
function recorder(options: { throwing?: boolean } = {}) {
  const events: Event[] = [];
  const fail = () => {
    if (options.throwing) throw new Error("observer bug");
  };
  const instrumentation: ClientInstrumentation = {
    startCall(call) {
      events.push({ kind: "start", call, request: call.request });
      fail();
      const observer: CallObserver = {
        wrap: (run) => {
          events.push({ kind: "wrap" });
          return run();
        },
        attemptStart: (attempt) => (events.push({ kind: "attemptStart", attempt }), fail()),
        attemptEnd: (attempt) => (events.push({ kind: "attemptEnd", attempt }), fail()),
        update: () => (events.push({ kind: "update" }), fail()),
        end: (end) => (events.push({ kind: "end", end }), fail()),
      };
      return observer;
    },
  };
  const kinds = () => events.filter((e) => e.kind !== "update").map((e) => e.kind);
  const ends = () => events.filter((e) => e.kind === "end").map((e) => (e as { end: CallEnd }).end);
  return { instrumentation, events, kinds, ends };
}

const messages = [{ role: "user", content: "How many feet are in a mile?" }];
const answer: ReplyPlan = {
  body: {
    id: "chatcmpl-1",
    created: 1,
    model: "m-2024",
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "5,280." } }],
    usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 },
  },
};
const sse = (bytes: Uint8Array): ReplyPlan => ({
  headers: { "content-type": "text/event-stream" },
  chunks: [bytes],
});

afterEach(() => registerInstrumentation(undefined));

describe("OT1 per call: start with the merged request, end with the result or the error", () => {
  test("OT1 a chat call: the body as sent (client defaults included), then the result", async (t) => {
    const server = await useLoopbackServer(t, answer);
    const seen = recorder();
    const client = new ChatCompletionsClient(server.url, null, {
      apiVersion: null,
      defaults: { temperature: 0.25, model: "m" },
      instrumentation: seen.instrumentation,
    });
    const result = await client.complete({ messages, maxTokens: 9 });
    assert.deepEqual(seen.kinds(), ["start", "wrap", "attemptStart", "attemptEnd", "end"]);
    const start = seen.events[0] as { call: InstrumentedCall; request: unknown };
    assert.equal(start.call.operation, "chat");
    assert.equal(start.call.clientName, "ChatCompletionsClient");
    assert.equal(start.call.endpoint, server.url);
    assert.equal(start.call.kind, "openai-compatible");
    assert.equal(start.call.stream, false);
    assert.deepEqual(start.request, { messages, temperature: 0.25, max_tokens: 9, model: "m" });
    assert.deepEqual(start.request, server.requests[0].json(), "exactly what was sent");
    const [end] = seen.ends();
    assert.equal(end.outcome, "success");
    assert.equal((end as { result: unknown }).result, result, "the very result the caller got");
  });

  test("OT1 an embeddings call is observed as `embeddings`", async (t) => {
    const server = await useLoopbackServer(t, {
      body: {
        id: "e",
        model: "emb",
        data: [{ index: 0, embedding: [0.5, 0.25] }],
        usage: { prompt_tokens: 2, total_tokens: 2 },
      },
    });
    const seen = recorder();
    const client = new EmbeddingsClient(server.url, null, { instrumentation: seen.instrumentation });
    const result = await client.embed({ input: ["a"], dimensions: 2 });
    const start = seen.events[0] as { call: InstrumentedCall };
    assert.equal(start.call.operation, "embeddings");
    assert.deepEqual(start.call.request, { input: ["a"], dimensions: 2 });
    assert.deepEqual(seen.ends(), [{ outcome: "success", result }]);
  });

  test("OT1 a failed call ends once with the error the caller gets; a caller mistake starts nothing", async (t) => {
    const server = await useLoopbackServer(t, {
      status: 400,
      body: { error: { code: "bad", message: "no" } },
    });
    const seen = recorder();
    const client = new ChatCompletionsClient(server.url, null, { instrumentation: seen.instrumentation });
    const error = await client.complete({ messages }).catch((e: unknown) => e);
    assert.deepEqual(seen.ends(), [{ outcome: "error", error, partial: undefined }]);
    await assert.rejects(client.complete({ messages: [] }), TypeError);
    assert.equal(seen.events.filter((e) => e.kind === "start").length, 1, "no call started for the mistake");
  });
});

describe("OT2 per attempt", () => {
  test("OT2 each attempt starts and ends, with its outcome, across retries", async (t) => {
    const busy: ReplyPlan = {
      status: 503,
      headers: { "retry-after-ms": "1" },
      body: { error: { message: "busy" } },
    };
    const server = await useLoopbackServer(t, busy, busy, answer);
    const seen = recorder();
    const client = new ChatCompletionsClient(server.url, null, { instrumentation: seen.instrumentation });
    await client.complete({ messages });
    const attempts = seen.events.filter((e) => e.kind.startsWith("attempt")) as (
      { kind: "attemptStart"; attempt: AttemptStart } | { kind: "attemptEnd"; attempt: AttemptEnd }
    )[];
    assert.deepEqual(
      attempts.map((e) => [e.kind, e.attempt.attempt, "outcome" in e.attempt ? e.attempt.outcome : "-"]),
      [
        ["attemptStart", 1, "-"],
        ["attemptEnd", 1, 503],
        ["attemptStart", 2, "-"],
        ["attemptEnd", 2, 503],
        ["attemptStart", 3, "-"],
        ["attemptEnd", 3, 200],
      ],
    );
    const requestIds = new Set(attempts.map((e) => e.attempt.requestId));
    assert.deepEqual([...requestIds], [server.requests[0].headers["x-ms-client-request-id"]]);
    assert.equal(seen.ends().length, 1, "one end for the call, whatever its attempts");
  });

  test("OT2 an attempt that cannot connect ends with what failed", async () => {
    const seen = recorder();
    const client = new ChatCompletionsClient("http://127.0.0.1:1", null, {
      instrumentation: seen.instrumentation,
      maxRetries: 0,
    });
    await assert.rejects(client.complete({ messages }));
    const ends = seen.events.filter((e) => e.kind === "attemptEnd") as { attempt: AttemptEnd }[];
    assert.deepEqual(
      ends.map((e) => e.attempt.outcome),
      ["connection error"],
    );
    assert.equal(seen.ends()[0].outcome, "error");
  });
});

describe("OT3 streams: each update, then one end however the stream ends", () => {
  const stream = syntheticChatStream(6);

  test("OT3 read to the end: every update, then success with the accumulated answer", async (t) => {
    const server = await useLoopbackServer(t, sse(stream.bytes));
    const seen = recorder();
    const client = new ChatCompletionsClient(server.url, null, { instrumentation: seen.instrumentation });
    const updates = await client.complete({ messages, stream: true });
    assert.equal(seen.ends().length, 0, "no end while the stream is open");
    let read = 0;
    for await (const _ of updates) read++;
    assert.equal(seen.events.filter((e) => e.kind === "update").length, read);
    const [end] = seen.ends();
    assert.equal(end.outcome, "success");
    assert.equal(
      (end as { result: unknown }).result,
      await updates.finalChatCompletions(),
      "the same answer object",
    );
    assert.equal((seen.events[0] as { call: InstrumentedCall }).call.stream, true);
  });

  test("OT3 `break` and `close()` before the end end as closed, with what had arrived", async (t) => {
    const first = new TextEncoder().encode(new TextDecoder().decode(stream.bytes).split("\n\n")[0] + "\n\n");
    for (const how of ["break", "close"] as const) {
      // One chunk, then silence: the stream is still open when the caller stops.
      const server = await useLoopbackServer(t, { ...sse(first), stallAfterHeaders: true });
      const seen = recorder();
      const client = new ChatCompletionsClient(server.url, null, { instrumentation: seen.instrumentation });
      const updates = await client.complete({ messages, stream: true });
      if (how === "break") for await (const _ of updates) break;
      else updates.close();
      const [end] = seen.ends();
      assert.equal(end.outcome, "closed", how);
      const partial = (end as { partial: { id: string } }).partial;
      assert.match(partial.id, how === "break" ? /^chatcmpl-/ : /^$/, "what had arrived");
      assert.equal(seen.ends().length, 1);
    }
  });

  test("OT3 a stream dropped unread ends as abandoned once garbage-collected", async (t) => {
    const server = await useLoopbackServer(t, sse(stream.bytes));
    const seen = recorder();
    const client = new ChatCompletionsClient(server.url, null, { instrumentation: seen.instrumentation });
    await client.complete({ messages, stream: true }); // dropped at once
    await collectGarbageUntil(() => seen.ends().length > 0);
    assert.deepEqual(seen.ends(), [{ outcome: "abandoned" }]);
  });
});

describe("OT4 guarded observers", () => {
  test("OT4 an observer that throws everywhere changes nothing the caller gets", async (t) => {
    const server = await useLoopbackServer(t, answer, sse(syntheticChatStream(4).bytes));
    const seen = recorder({ throwing: true });
    const client = new ChatCompletionsClient(server.url, null, { instrumentation: seen.instrumentation });
    const result = await client.complete({ messages });
    assert.equal(result.choices[0].message.content, "5,280.");
    const throwingCalls = recorder();
    const bad: ClientInstrumentation = {
      startCall: (call) => ({
        ...throwingCalls.instrumentation.startCall(call)!,
        update: () => {
          throw new Error("x");
        },
        end: () => {
          throw new Error("y");
        },
      }),
    };
    const streamed = new ChatCompletionsClient(server.url, null, { instrumentation: bad });
    const updates = await streamed.complete({ messages, stream: true });
    const final = await updates.finalChatCompletions();
    assert.equal(final.choices[0].finishReason, "stop");
  });
});

describe("OT5 the registry and the options", () => {
  test("OT5 a registered instrumentation observes every client; the option replaces it", async (t) => {
    const server = await useLoopbackServer(t, answer);
    const global = recorder();
    const own = recorder();
    registerInstrumentation(global.instrumentation);
    await new ChatCompletionsClient(server.url, null).complete({ messages });
    await new ChatCompletionsClient(server.url, null, { instrumentation: own.instrumentation }).complete({
      messages,
    });
    assert.equal(global.ends().length, 1);
    assert.equal(own.ends().length, 1);
    registerInstrumentation(undefined);
    await new ChatCompletionsClient(server.url, null).complete({ messages });
    assert.equal(global.ends().length, 1, "removed");
  });

  test("OT5 the client's tracing option reaches the instrumentation", async (t) => {
    const server = await useLoopbackServer(t, answer);
    const seen = recorder();
    const client = new ChatCompletionsClient(server.url, null, {
      instrumentation: seen.instrumentation,
      tracing: { enabled: true, recordContent: false },
    });
    await client.complete({ messages });
    assert.deepEqual((seen.events[0] as { call: InstrumentedCall }).call.tracing, {
      enabled: true,
      recordContent: false,
    });
  });

  test("OT5 tracing: { enabled: true } with nothing to trace rejects before sending anything", async (t) => {
    const server = await useLoopbackServer(t, answer);
    const client = new ChatCompletionsClient(server.url, null, { tracing: { enabled: true } });
    await assert.rejects(client.complete({ messages }), (error: Error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /ai-inference\/tracing/);
      return true;
    });
    assert.equal(server.requests.length, 0);
    // Off, or unset, it is no mistake.
    await new ChatCompletionsClient(server.url, null, { tracing: { enabled: false } }).complete({ messages });
  });

  test("OT5 the options are checked at construction", () => {
    const url = "http://127.0.0.1:9";
    const bad: [object, RegExp][] = [
      [{ tracing: true }, /tracing must be an object/],
      [{ tracing: { enabled: "yes" } }, /tracing.enabled must be true or false/],
      [{ tracing: { record: true } }, /unknown option "record"/],
      [{ instrumentation: {} }, /startCall/],
    ];
    for (const [options, message] of bad) {
      assert.throws(() => new ChatCompletionsClient(url, null, options as never), {
        name: "TypeError",
        message,
      });
    }
    assert.throws(() => registerInstrumentation({} as never), TypeError);
  });
});
