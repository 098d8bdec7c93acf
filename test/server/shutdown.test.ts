import { test } from "node:test";
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { closeOnSignals } from "../../src/server/shutdown.js";

function fakeServer() {
  const calls: ({ deadlineMs?: number } | undefined)[] = [];
  let finish!: () => void;
  const closed = new Promise<void>((resolve) => (finish = resolve));
  return {
    calls,
    finish,
    server: { close: (options?: { deadlineMs?: number }) => (calls.push(options), closed) },
  };
}

test("S1.9 the first SIGINT or SIGTERM closes the server with the deadline", async () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const { calls, finish, server } = fakeServer();
    const source = new EventEmitter();
    let closedWith: unknown = "not yet";
    closeOnSignals(server, { process: source, deadlineMs: 1234, onClosed: (error) => (closedWith = error) });
    source.emit(signal);
    assert.deepEqual(calls, [{ deadlineMs: 1234 }]);
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(closedWith, undefined);
  }
});

test("S1.9 a second signal aborts in-flight work at once", () => {
  const { calls, server } = fakeServer();
  const source = new EventEmitter();
  const seen: string[] = [];
  closeOnSignals(server, { process: source, onSignal: (s) => seen.push(s) });
  source.emit("SIGTERM");
  source.emit("SIGINT");
  assert.deepEqual(calls, [{}, { deadlineMs: 0 }]);
  assert.deepEqual(seen, ["SIGTERM", "SIGINT"]);
});

test("S1.9 a failed close is reported to onClosed", async () => {
  const source = new EventEmitter();
  const failure = new Error("could not free the model");
  const reported = new Promise((resolve) =>
    closeOnSignals({ close: () => Promise.reject(failure) }, { process: source, onClosed: resolve }),
  );
  source.emit("SIGTERM");
  assert.equal(await reported, failure);
});

test("S1.9 the returned function removes the handlers", () => {
  const { calls, server } = fakeServer();
  const source = new EventEmitter();
  const remove = closeOnSignals(server, { process: source, signals: ["SIGHUP"] });
  assert.equal(source.listenerCount("SIGHUP"), 1);
  remove();
  assert.equal(source.listenerCount("SIGHUP"), 0);
  source.emit("SIGHUP");
  assert.deepEqual(calls, []);
});
