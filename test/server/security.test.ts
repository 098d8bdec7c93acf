// Security (S1.7, quality.md Q3): the API key on every route but /health, checked from either
// header; the key never echoed; request JSON never reaches a prototype.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { InferenceServer } from "../../src/server/index.js";
import { ask, errorOf, postJson, startTinyServer } from "../support/tiny-server.js";

const key = "s3cret-key-value";
let server: InferenceServer;
before(async () => {
  server = await startTinyServer({ apiKey: key });
});
after(() => server.close());

describe("S1.7 API key", () => {
  test("S1.7 without a key every route but /health is 401", async () => {
    for (const [method, path] of [
      ["GET", "/info"],
      ["GET", "/v1/models"],
      ["POST", "/chat/completions"],
      ["POST", "/embeddings"],
    ]) {
      const response = await server.fetch(path, { method });
      assert.equal(response.status, 401, `${method} ${path}`);
      assert.equal(response.headers.get("www-authenticate"), "Bearer");
      const error = await errorOf(response);
      assert.equal(error.code, "unauthorized");
      assert.match(error.message, /needs an API key/);
    }
  });

  test("S1.7 a wrong key is 401 in either header, and the message never echoes a key", async () => {
    const attempts: Record<string, string>[] = [
      { "api-key": "wrong" },
      { authorization: "Bearer wrong" },
      { "api-key": key.slice(0, -1) },
    ];
    for (const headers of attempts) {
      const response = await server.fetch("/info", { headers });
      assert.equal(response.status, 401);
      const text = await response.text();
      assert.match(text, /not valid/);
      assert.ok(!text.includes("wrong") && !text.includes(key.slice(0, 6)), "no key in the reply");
    }
  });

  test("S1.7 the right key works as api-key or as a Bearer token", async () => {
    assert.equal((await server.fetch("/info", { headers: { "api-key": key } })).status, 200);
    assert.equal((await server.fetch("/info", { headers: { authorization: `Bearer ${key}` } })).status, 200);
    const reply = await postJson(
      server.fetch,
      "/chat/completions",
      { messages: ask("hi"), max_tokens: 2 },
      { authorization: `bearer ${key}` },
    );
    assert.equal(reply.status, 200);
  });

  test("S1.7 /health is open", async () => {
    const response = await server.fetch("/health");
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: "ok" });
  });
});

describe("Q3 no prototype pollution from request JSON", () => {
  const auth = { "api-key": key };
  const polluting = '"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}';
  const clean = () => {
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, "polluted"), false);
  };

  test("Q3 __proto__ and constructor keys are unknown parameters by default, named", async () => {
    const body = `{"messages": [{"role": "user", "content": "hi"}], ${polluting}}`;
    const response = await postJson(server.fetch, "/chat/completions", body, auth);
    assert.equal(response.status, 400);
    assert.match((await errorOf(response)).message, /'__proto__', 'constructor'/);
    clean();
  });

  test("Q3 passed through or dropped, they stay data", async () => {
    for (const mode of ["pass-through", "drop"]) {
      const body = `{"messages": [{"role": "user", "content": "hi", ${polluting}}], "max_tokens": 2, ${polluting}}`;
      const response = await postJson(server.fetch, "/chat/completions", body, {
        ...auth,
        "extra-parameters": mode,
      });
      assert.equal(response.status, 200, mode);
      clean();
    }
  });

  test("Q3 inside schemas and logit_bias they stay data", async () => {
    const schema = `{"type": "object", "properties": {"__proto__": {"type": "string", "maxLength": 3}}, "required": ["__proto__"]}`;
    const body = `{"messages": [{"role": "user", "content": "x"}], "max_tokens": 60, "temperature": 0, "response_format": {"type": "json_schema", "json_schema": {"name": "p", "schema": ${schema}}}}`;
    const response = await postJson(server.fetch, "/chat/completions", body, auth);
    assert.equal(response.status, 200);
    const bias = await postJson(
      server.fetch,
      "/chat/completions",
      `{"messages": [{"role": "user", "content": "x"}], "logit_bias": {"__proto__": 1}}`,
      auth,
    );
    assert.equal(bias.status, 400);
    clean();
  });
});

describe("S1.7 CORS", () => {
  test("S1.7 CORS is off unless origins are configured", async () => {
    const response = await server.fetch("/health", { headers: { origin: "http://example.com" } });
    assert.equal(response.headers.get("access-control-allow-origin"), null);
  });

  test("S1.7 configured origins get CORS headers, and the preflight needs no key", async () => {
    await using withCors = await startTinyServer({ apiKey: key, corsOrigins: ["http://app.example"] });
    const preflight = await withCors.fetch("/chat/completions", {
      method: "OPTIONS",
      headers: {
        origin: "http://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "api-key,content-type",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "http://app.example");
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /api-key/);
    const allowed = await withCors.fetch("/info", {
      headers: { origin: "http://app.example", "api-key": key },
    });
    assert.equal(allowed.headers.get("access-control-allow-origin"), "http://app.example");
    const other = await withCors.fetch("/info", {
      headers: { origin: "http://evil.example", "api-key": key },
    });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
  });

  test("S1.7 corsOrigins ['*'] allows any origin, without credentials", async () => {
    await using withCors = await startTinyServer({ apiKey: key, corsOrigins: ["*"] });
    const preflight = await withCors.fetch("/chat/completions", {
      method: "OPTIONS",
      headers: {
        origin: "http://anywhere.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "api-key,content-type",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
    assert.equal(preflight.headers.get("access-control-allow-credentials"), null);
    const allowed = await withCors.fetch("/info", {
      headers: { origin: "http://other.example", "api-key": key },
    });
    assert.equal(allowed.headers.get("access-control-allow-origin"), "*");
    assert.equal(allowed.headers.get("access-control-allow-credentials"), null);
  });
});
