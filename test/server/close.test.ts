// Graceful shutdown (S1.9): stop accepting, let in-flight work finish within the deadline, abort
// the rest, free the model; and the SIGINT/SIGTERM helper on the real server.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { closeOnSignals, createServer } from "../../src/server/index.js";
import { tinyModelPath } from "../support/tiny-model.js";
import { ask, errorOf, postJson, readSse, startTinyServer } from "../support/tiny-server.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe("S1.9 close()", () => {
  test("S1.9 in-flight work finishes within the deadline", async () => {
    // The tiny model that never ends an answer by itself: the answer surely runs to max_tokens (the
    // random one may pick its end-of-sequence token first and finish with "stop").
    const server = await createServer({ modelPath: await tinyModelPath({ eosBias: -1000 }), log: false });
    const response = await postJson(server.fetch, "/chat/completions", {
      messages: ask("hi"),
      max_tokens: 30,
      stream: true,
    });
    const closed = server.close({ deadlineMs: 60_000 });
    const events = (await readSse(response)) as Json[];
    assert.equal(events.at(-1), "[DONE]");
    assert.equal(events.at(-2).choices[0].finish_reason, "length");
    await closed;
  });

  test("S1.9 while closing, new requests get 503 and /health says so", async () => {
    const server = await startTinyServer();
    const response = await postJson(server.fetch, "/chat/completions", {
      messages: ask("go"),
      max_tokens: 1900,
      stream: true,
    });
    const reader = response.body!.getReader();
    await reader.read();
    const closed = server.close({ deadlineMs: 60_000 });
    const refused = await postJson(server.fetch, "/chat/completions", { messages: ask("x"), max_tokens: 2 });
    assert.equal(refused.status, 503);
    assert.equal((await errorOf(refused)).code, "server_shutting_down");
    const health = await server.fetch("/health");
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { status: "shutting_down" });
    await reader.cancel();
    await closed;
  });

  test("S1.9 past the deadline in-flight streams are aborted with an error event", async () => {
    const server = await startTinyServer();
    const response = await postJson(server.fetch, "/chat/completions", {
      messages: ask("go"),
      max_tokens: 1900,
      stream: true,
    });
    const closed = server.close({ deadlineMs: 0 });
    const events = (await readSse(response)) as Json[];
    assert.notEqual(events.at(-1), "[DONE]");
    assert.equal(events.at(-1).error.code, "server_shutting_down");
    await closed;
  });

  test("S1.9 a second close with no grace cuts the wait short", async () => {
    const server = await startTinyServer();
    const response = await postJson(server.fetch, "/chat/completions", {
      messages: ask("go"),
      max_tokens: 1900,
      stream: true,
    });
    const events = readSse(response);
    const first = server.close({ deadlineMs: 600_000 });
    const second = server.close({ deadlineMs: 0 });
    assert.equal(first, second, "close() is idempotent");
    assert.equal(
      ((await events) as Json[]).at(-1).error.code,
      "server_shutting_down",
      "aborted, not finished",
    );
    await second;
  });

  test("S1.9 await using disposes the server", async () => {
    let engineClosed = false;
    {
      await using server = await startTinyServer();
      const close = server.engine.close.bind(server.engine);
      server.engine.close = async () => {
        engineClosed = true;
        await close();
      };
    }
    assert.ok(engineClosed);
  });
});

describe("S1.9 closeOnSignals", () => {
  test("S1.9 SIGTERM closes the real server gracefully; the helper reports when it is done", async () => {
    const server = await startTinyServer();
    const signals = new EventEmitter();
    const seen: string[] = [];
    const closed = new Promise<unknown>((resolve) => {
      closeOnSignals(server, { process: signals, onSignal: (s) => seen.push(s), onClosed: resolve });
    });
    const response = await postJson(server.fetch, "/chat/completions", {
      messages: ask("hi"),
      max_tokens: 20,
      stream: true,
    });
    signals.emit("SIGTERM");
    const events = (await readSse(response)) as Json[];
    assert.equal(events.at(-1), "[DONE]", "in-flight work finished");
    assert.equal(await closed, undefined);
    assert.deepEqual(seen, ["SIGTERM"]);
    assert.equal((await server.fetch("/health")).status, 503);
  });
});
