// The server on a real socket (S1.1, S1.7): loopback by default, refuses to listen off loopback
// without a key, serves HTTP and SSE, and a client that disconnects frees its slot.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import type { InferenceServer, RequestLogEntry } from "../../src/server/index.js";
import { ask, readSse, startTinyServer } from "../support/tiny-server.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe("S1.1 listen", () => {
  const logged: ((entry: RequestLogEntry) => void)[] = [];
  let server: InferenceServer;
  let url: string;
  before(async () => {
    server = await startTinyServer({
      maxConcurrent: 1,
      maxQueue: 0,
      log: (_line, entry) => logged.shift()?.(entry),
    });
    url = await server.listen({ port: 0 });
  });
  after(() => server.close());

  test("S1.7 listen() serves on 127.0.0.1 by default and resolves to the URL", () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.url, url);
  });

  test("S1.1 the routes answer over HTTP", async () => {
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    const reply = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: ask("hi"), max_tokens: 5, temperature: 0 }),
    });
    assert.equal(reply.status, 200);
    const body = (await reply.json()) as Json;
    assert.equal(body.object, "chat.completion");
    assert.equal(body.usage.completion_tokens, 5);
  });

  test("S1.3 SSE arrives over HTTP and ends with [DONE]", async () => {
    const reply = await fetch(`${url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: ask("hi"), max_tokens: 5, stream: true, temperature: 0 }),
    });
    assert.match(reply.headers.get("content-type") ?? "", /^text\/event-stream/);
    const events = (await readSse(reply)) as Json[];
    assert.equal(events.at(-1), "[DONE]");
    assert.equal(events.at(-2).choices[0].finish_reason, "length");
  });

  test("S1.4 the body limit holds over HTTP too (413)", async () => {
    const reply = await fetch(`${url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "x".repeat(4 * 1024 * 1024 + 1),
    });
    assert.equal(reply.status, 413);
  });

  test("S1.6 a client that disconnects mid-stream frees its slot", async () => {
    const done = new Promise<RequestLogEntry>((resolve) => logged.push(resolve));
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
      });
      req.on("error", () => resolve());
      req.on("response", (res) => {
        res.once("data", () => {
          req.destroy();
          resolve();
        });
        res.on("error", () => undefined);
      });
      req.on("timeout", reject);
      req.end(JSON.stringify({ messages: ask("long"), max_tokens: 1900, stream: true }));
    });
    await done; // written after the slot is free
    const next = await fetch(`${url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: ask("next"), max_tokens: 2 }),
    });
    assert.equal(next.status, 200);
  });

  test("S1.1 listening twice is refused", async () => {
    await assert.rejects(server.listen(), /already listening/);
  });
});

describe("S1.7 where the server may listen", () => {
  test("S1.7 off loopback without an API key it refuses to start", async () => {
    await using server = await startTinyServer();
    await assert.rejects(
      server.listen({ host: "0.0.0.0" }),
      /Refusing to listen on 0\.0\.0\.0 without an API key/,
    );
    assert.equal(server.url, undefined);
  });

  test("S1.7 off loopback with insecureNoAuth it starts", async () => {
    await using server = await startTinyServer({ insecureNoAuth: true });
    const url = await server.listen({ host: "0.0.0.0" });
    assert.match(url, /^http:\/\/0\.0\.0\.0:\d+$/);
  });

  test("S1.7 off loopback with an API key it starts, and requires the key", async () => {
    await using server = await startTinyServer({ apiKey: "k-123" });
    const url = await server.listen({ host: "0.0.0.0" });
    const port = new URL(url).port;
    assert.equal((await fetch(`http://127.0.0.1:${port}/info`)).status, 401);
    assert.equal(
      (await fetch(`http://127.0.0.1:${port}/info`, { headers: { "api-key": "k-123" } })).status,
      200,
    );
  });

  test("S1.9 close() stops listening", async () => {
    const server = await startTinyServer();
    const url = await server.listen();
    await server.close();
    await assert.rejects(fetch(`${url}/health`));
    assert.equal(server.url, undefined);
  });
});
