import { test } from "node:test";
import assert from "node:assert/strict";
import { inProcessFetch } from "../../src/server/in-process-fetch.js";

test("S1.1 in-process fetch builds a Request from the global fetch arguments", async () => {
  let seen: Request | undefined;
  const fetch = inProcessFetch((request) => {
    seen = request;
    return new Response("ok", { status: 201, headers: { "x-a": "1" } });
  });
  const response = await fetch("http://local/chat/completions?api-version=1", {
    method: "POST",
    body: "{}",
    headers: { "x-b": "2" },
  });
  assert.equal(response.status, 201);
  assert.equal(response.headers.get("x-a"), "1");
  assert.equal(await response.text(), "ok");
  assert.equal(seen!.method, "POST");
  assert.equal(new URL(seen!.url).pathname, "/chat/completions");
  assert.equal(seen!.headers.get("x-b"), "2");
  await fetch(new URL("http://local/info"));
  assert.equal(new URL(seen!.url).pathname, "/info");
  await fetch(new Request("http://local/health"));
  assert.equal(new URL(seen!.url).pathname, "/health");
  await fetch("/v1/models");
  assert.equal(new URL(seen!.url).pathname, "/v1/models");
});

test("S1.1 an already aborted signal rejects with its reason, like fetch", async () => {
  const fetch = inProcessFetch(() => new Response("never"));
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(fetch("http://local/x", { signal: controller.signal }), { name: "AbortError" });
});

test("S1.1 aborting before the response rejects, and the handler sees its request signal abort", async () => {
  let handlerSignal: AbortSignal | undefined;
  const fetch = inProcessFetch(
    (request) =>
      new Promise<Response>((resolve) => {
        handlerSignal = request.signal;
        request.signal.addEventListener("abort", () => resolve(new Response("late")));
      }),
  );
  const controller = new AbortController();
  const pending = fetch("http://local/x", { signal: controller.signal });
  await new Promise((resolve) => setImmediate(resolve));
  controller.abort(new Error("stop now"));
  await assert.rejects(pending, /stop now/);
  assert.ok(handlerSignal!.aborted);
});

test("S1.1 aborting while the body is read errors the body and cancels the source", async () => {
  let cancelled: unknown;
  const fetch = inProcessFetch(
    () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode("first"));
          },
          cancel(reason) {
            cancelled = reason ?? "cancelled";
          },
        }),
      ),
  );
  const controller = new AbortController();
  const response = await fetch("http://local/x", { signal: controller.signal });
  const reader = response.body!.getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), "first");
  controller.abort();
  await assert.rejects(reader.read(), { name: "AbortError" });
  assert.ok(cancelled !== undefined);
});

test("S1.1 a body read to the end is unaffected by a later abort", async () => {
  const fetch = inProcessFetch(() => new Response("whole"));
  const controller = new AbortController();
  const response = await fetch("http://local/x", { signal: controller.signal });
  assert.equal(await response.text(), "whole");
  controller.abort();
});
