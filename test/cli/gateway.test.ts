// `serve --upstreams FILE` (issue 14): the server as a gateway over a router, with real upstreams on
// loopback (scripted servers and fake ones that fail as planned), read by the openai npm client.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import OpenAI from "openai";
import { AzureKeyCredential } from "../../src/index.js";
import { createServer, type ScriptedReply } from "../../src/server/index.js";
import { createGatewayEngine } from "../../src/cli/gateway/gateway-engine.js";
import { readUpstreams } from "../../src/cli/gateway/upstreams-file.js";
import { type ReplyPlan, useLoopbackServer } from "../support/loopback-server.js";
import { startServeProcess } from "../support/run-cli.js";
import { tempFiles } from "../support/temp-files.js";

type T = Parameters<typeof useLoopbackServer>[0];

/** A scripted server as a real upstream. */
async function scriptedUpstream(t: T, replies: readonly ScriptedReply[], apiKey?: string) {
  const server = await createServer({ replies, log: false, apiKey });
  const url = await server.listen();
  t.after(() => server.close());
  return { url: `${url}/v1`, server };
}

/** A gateway in this process over `upstreams` (YAML), listening on loopback. */
async function gateway(t: T, yaml: string, env: Record<string, string> = {}) {
  const config = readUpstreams(yaml, "upstreams.yaml", env, (key) => new AzureKeyCredential(key));
  const engine = createGatewayEngine(config);
  const server = await createServer({ engine, log: false });
  const url = await server.listen();
  t.after(() => server.close());
  return { url, engine, openai: new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 }) };
}

const fail = (status: number, headers: Record<string, string> = {}): ReplyPlan => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: { error: { code: `upstream_${status}`, message: `upstream says ${status}` } },
});

describe("issue 14 gateway: routing", () => {
  test("issue 14 the openai client works through the gateway, which fails over from a 429 to the next deployment", async (t) => {
    const limited = await useLoopbackServer(t, fail(429, { "retry-after-ms": "30000" }));
    const good = await scriptedUpstream(t, [{ content: "hello from b", repeat: true }]);
    const { openai, engine } = await gateway(
      t,
      `strategy: priority
apiVersion: none
deployments:
  - { name: a, endpoint: "${limited.url}", priority: 0 }
  - { name: b, endpoint: "${good.url}", priority: 1 }
`,
    );
    const answer = await openai.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(answer.choices[0].message.content, "hello from b");
    assert.equal(answer.model, "gpt-4o", "any other model is routed, and sent as it was");
    assert.deepEqual(
      engine.deployments().map((d) => [d.name, d.status]),
      [
        ["a", "cooling"],
        ["b", "available"],
      ],
    );
    const models = await openai.models.list();
    assert.deepEqual(
      models.data.map((m) => m.id),
      ["a", "b"],
    );
  });

  test("issue 14 a model that names a deployment goes there (its own model, or none, is sent upstream)", async (t) => {
    const a = await useLoopbackServer(t, {
      body: {
        id: "1",
        created: 1,
        model: "m",
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "a" } }],
      },
    });
    const b = await useLoopbackServer(t, {
      body: {
        id: "2",
        created: 1,
        model: "m",
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "b" } }],
      },
    });
    const { openai } = await gateway(
      t,
      `apiVersion: none
deployments:
  - { name: a, endpoint: "${a.url}", model: gpt-4o-east }
  - { name: b, endpoint: "${b.url}", priority: 1 }
`,
    );
    const viaB = await openai.chat.completions.create({
      model: "b",
      messages: [{ role: "user", content: "x" }],
    });
    assert.equal(viaB.choices[0].message.content, "b");
    assert.equal(
      (b.requests[0].json() as { model?: string }).model,
      undefined,
      "b has no model: none is sent",
    );
    await openai.chat.completions.create({ model: "a", messages: [{ role: "user", content: "x" }] });
    assert.equal((a.requests[0].json() as { model?: string }).model, "gpt-4o-east");
  });

  test("issue 14 the local engine's capability checks do not apply: the upstream decides (n > 1, unknown keys)", async (t) => {
    const upstream = await useLoopbackServer(t, {
      body: {
        id: "1",
        created: 1,
        model: "m",
        choices: [
          { index: 0, finish_reason: "stop", message: { role: "assistant", content: "one" } },
          { index: 1, finish_reason: "stop", message: { role: "assistant", content: "two" } },
        ],
      },
    });
    const { url } = await gateway(
      t,
      `apiVersion: none\ndeployments:\n  - { name: a, endpoint: "${upstream.url}" }\n`,
    );
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "x" }], n: 2, vendor_knob: { deep: true } }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { choices: unknown[] };
    assert.equal(body.choices.length, 2);
    assert.deepEqual(upstream.requests[0].json(), {
      messages: [{ role: "user", content: "x" }],
      n: 2,
      vendor_knob: { deep: true },
    });
  });

  test("issue 14 a stream is passed through as it arrives: the first update is read while the upstream still writes", async (t) => {
    const chunk = (content: string) =>
      `data: ${JSON.stringify({ id: "s", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const upstream = await useLoopbackServer(t, async (_request, _reply, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(chunk("first "));
      await released; // the rest waits until the client has read the first update through the gateway
      response.end(`${chunk("second")}data: [DONE]\n\n`);
    });
    const { openai } = await gateway(
      t,
      `apiVersion: none\ndeployments:\n  - { name: a, endpoint: "${upstream.url}" }\n`,
    );
    const stream = await openai.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "x" }],
      stream: true,
    });
    const pieces: string[] = [];
    for await (const update of stream) {
      pieces.push(update.choices[0]?.delta?.content ?? "");
      if (pieces.length === 1) release();
    }
    assert.deepEqual(pieces, ["first ", "second"]);
  });

  test(
    "issue 14 a caller that leaves a stream closes the upstream connection too (nothing keeps generating)",
    { timeout: 20_000 },
    async (t) => {
      const chunk = `data: ${JSON.stringify({ id: "s", object: "chat.completion.chunk", created: 1, model: "m", choices: [{ index: 0, delta: { content: "x" }, finish_reason: null }] })}\n\n`;
      let upstreamClosed!: () => void;
      const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
      const upstream = await useLoopbackServer(t, (_request, _reply, response) => {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write(chunk);
        response.on("close", upstreamClosed); // the stream never ends by itself
      });
      const { url } = await gateway(
        t,
        `apiVersion: none\ndeployments:\n  - { name: a, endpoint: "${upstream.url}" }\n`,
      );
      const controller = new AbortController();
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "x" }], stream: true }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      assert.match(first, /"content":"x"/);
      controller.abort();
      await closed; // else the test's timeout fails it
    },
  );

  test("issue 14 upstream errors come back with their status, body and headers; every deployment cooling is a 429", async (t) => {
    const a = await useLoopbackServer(
      t,
      fail(400, { "x-request-id": "svc-1", "x-ms-error-code": "bad_thing", "set-cookie": "s=1" }),
      fail(429, { "retry-after": "40", "x-ratelimit-remaining-tokens": "0" }),
    );
    const { url } = await gateway(
      t,
      `apiVersion: none\nmaxRetryDelayMs: 1000\ndeployments:\n  - { name: a, endpoint: "${a.url}" }\n`,
    );
    const post = () =>
      fetch(`${url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "x" }] }),
      });
    const refused = await post();
    assert.equal(refused.status, 400);
    assert.equal(refused.headers.get("x-request-id"), "svc-1");
    assert.equal(refused.headers.get("x-ms-error-code"), "bad_thing");
    assert.equal(refused.headers.get("set-cookie"), null, "only the headers worth handing on");
    assert.deepEqual(await refused.json(), { error: { code: "upstream_400", message: "upstream says 400" } });
    // a answers 429 for 40 s, longer than maxRetryDelayMs: a 429 that says how long, at once.
    const limited = await post();
    assert.equal(limited.status, 429);
    const wait = Number(limited.headers.get("retry-after-ms"));
    assert.ok(wait > 30_000 && wait <= 40_000, String(wait));
    assert.match(((await limited.json()) as { error: { message: string } }).error.message, /is cooling down/);
    // While a cools, the gateway answers 429 without sending anything upstream.
    assert.equal((await post()).status, 429);
    assert.equal(a.requests.length, 2);
  });

  test("issue 14 an unreachable upstream is a 502 that names the deployment, not its URL", async (t) => {
    const gone = await useLoopbackServer(t, { resetBeforeHeaders: true });
    const { url } = await gateway(
      t,
      `apiVersion: none\nmaxRetries: 0\ndeployments:\n  - { name: a, endpoint: "${gone.url}" }\n`,
    );
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "x" }] }),
    });
    assert.equal(response.status, 502);
    const text = await response.text();
    assert.match(text, /upstream deployment \\"a\\" could not be reached/);
    assert.doesNotMatch(text, /127\.0\.0\.1/);
  });

  test("issue 14 upstream keys come from the environment, go only upstream, and are never echoed back", async (t) => {
    const KEY = "upstream-secret-key-0123456789";
    const echo = await useLoopbackServer(t, (request, reply) =>
      reply({
        status: 401,
        headers: { "content-type": "application/json", "x-echo": String(request.headers["api-key"]) },
        body: { error: { message: `Key ${String(request.headers["api-key"])} is not valid.` } },
      }),
    );
    const { url } = await gateway(
      t,
      `apiVersion: none\nmaxRetries: 0\ndeployments:\n  - { name: a, endpoint: "${echo.url}", apiKeyEnv: UPSTREAM_KEY }\n`,
      { UPSTREAM_KEY: KEY },
    );
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer caller-key" },
      body: JSON.stringify({ messages: [{ role: "user", content: "x" }] }),
    });
    assert.equal(echo.requests[0].headers["api-key"], KEY);
    assert.equal(
      echo.requests[0].headers.authorization,
      `Bearer ${KEY}`,
      "the caller's own key is not forwarded",
    );
    assert.equal(response.status, 401);
    const text = await response.text();
    assert.doesNotMatch(text + JSON.stringify([...response.headers]), new RegExp(KEY));
    assert.match(text, /Key \[REDACTED\] is not valid|is not valid/);
  });

  test("issue 14 the upstreams file: each mistake names its place, never a key", () => {
    const read = (yaml: string, env: Record<string, string> = {}) =>
      readUpstreams(yaml, "u.yaml", env, (key) => new AzureKeyCredential(key));
    assert.throws(() => read("deployments: []"), /u\.yaml: deployments must be a non-empty list/);
    assert.throws(
      () => read("deployments:\n  - { name: a, endpoint: http://x, apiKeyEnv: NOPE }"),
      /\("a"\): the environment variable NOPE \(apiKeyEnv\) is not set/,
    );
    assert.throws(
      () => read("deployments:\n  - { name: a, endpoint: http://x, key: abc }"),
      /unknown key "key"/,
    );
    assert.throws(
      () => read("strategy: fastest\ndeployments:\n  - { name: a, endpoint: http://x }"),
      /strategy must be one of/,
    );
    assert.throws(() => read("{ not json"), /u\.yaml: not valid JSON or YAML/);
    const json = read(
      JSON.stringify({
        strategy: "least-busy",
        deployments: [{ name: "a", endpoint: "http://x", apiKeyEnv: "K", weight: 2 }],
      }),
      { K: "secret" },
    );
    assert.equal(json.strategy, "least-busy");
    assert.equal(json.deployments[0].weight, 2);
  });
});

describe("issue 14 gateway: the command", () => {
  test("issue 14 serve --upstreams: the gateway's own --api-key guards it, and the upstream key never reaches its output", async (t) => {
    const UPSTREAM_KEY = "upstream-cli-secret-987654321";
    const upstream = await scriptedUpstream(t, [{ content: "via the gateway", repeat: true }], UPSTREAM_KEY);
    const dir = await tempFiles(t, {
      "upstreams.yaml": `apiVersion: none\ndeployments:\n  - name: local\n    endpoint: ${upstream.url}\n    apiKeyEnv: LOCAL_KEY\n`,
    });
    const file = join(dir, "upstreams.yaml");
    const serve = await startServeProcess(["--upstreams", file, "--port", "0", "--api-key", "gateway-key"], {
      env: { LOCAL_KEY: UPSTREAM_KEY },
    });
    try {
      assert.match(serve.stdout(), /Serving a gateway to local \(priority\)/);
      const refused = await fetch(`${serve.url}/v1/models`);
      assert.equal(refused.status, 401);
      const openai = new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: "gateway-key", maxRetries: 0 });
      const answer = await openai.chat.completions.create({
        model: "x",
        messages: [{ role: "user", content: "hi" }],
      });
      assert.equal(answer.choices[0].message.content, "via the gateway");
      const stream = await openai.chat.completions.create({
        model: "x",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      });
      let text = "";
      for await (const update of stream) text += update.choices[0]?.delta?.content ?? "";
      assert.equal(text, "via the gateway");
    } finally {
      serve.child.kill("SIGTERM");
    }
    assert.equal(await serve.exited, 0);
    assert.match(serve.stderr(), /POST \/v1\/chat\/completions 200/);
    assert.doesNotMatch(serve.stdout() + serve.stderr(), new RegExp(UPSTREAM_KEY));
  });
});
