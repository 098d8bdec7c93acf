// P2.1–P2.3: key and token credentials over loopback.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import {
  type AccessToken,
  AzureKeyCredential,
  ChatCompletionsClient,
  ServiceRequestError,
  type TokenCredential,
} from "../../src/index.js";
import { TokenCache } from "../../src/client/credentials.js";
import { useLoopbackServer } from "../support/loopback-server.js";
import { hiMessages, okReply } from "../support/chat-replies.js";
import { useConnectProxy } from "../support/connect-proxy.js";
import { transports } from "../support/transports.js";

const messages = hiMessages;
const ok = okReply;

/** A token credential that counts its calls and hands out token-1, token-2... */
function countingCredential(lifetimeMs: number, options: { delayMs?: number; refreshAfterMs?: number } = {}) {
  const scopes: (string | string[])[] = [];
  const credential: TokenCredential & { calls: number } = {
    calls: 0,
    async getToken(scope) {
      scopes.push(scope);
      const n = ++credential.calls;
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const now = Date.now();
      const token: AccessToken = {
        token: `token-${n}`,
        expiresOnTimestamp: now + lifetimeMs,
        refreshAfterTimestamp:
          options.refreshAfterMs === undefined ? undefined : now + options.refreshAfterMs,
      };
      return token;
    },
  };
  return { credential, scopes };
}

const authOf = (server: { requests: { headers: Record<string, unknown> }[] }) =>
  server.requests.map((r) => r.headers.authorization);

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    test("P2.2 a key credential sends both Authorization: Bearer and api-key", async (t) => {
      const server = await useLoopbackServer(t, ok);
      await new ChatCompletionsClient(server.url, new AzureKeyCredential("k1"), transport.options).complete({
        messages,
      });
      assert.equal(server.requests[0].headers.authorization, "Bearer k1");
      assert.equal(server.requests[0].headers["api-key"], "k1");
    });

    test("P2.2 the key is read at every request, retries included: update() rotates both headers", async (t) => {
      const server = await useLoopbackServer(t, { status: 503, headers: { "retry-after-ms": "1" } }, ok);
      const credential = new AzureKeyCredential("old");
      const client = new ChatCompletionsClient(server.url, credential, transport.options);
      await client.complete({ messages, onResponse: (r) => r.status === 503 && credential.update("new") });
      await client.complete({ messages });
      assert.deepEqual(
        server.requests.map((r) => [r.headers.authorization, r.headers["api-key"]]),
        [
          ["Bearer old", "old"],
          ["Bearer new", "new"],
          ["Bearer new", "new"],
        ],
      );
    });

    test("P2.3 authHeaders chooses the key headers sent", async (t) => {
      const server = await useLoopbackServer(t, ok);
      const key = new AzureKeyCredential("k");
      await new ChatCompletionsClient(server.url, key, {
        ...transport.options,
        authHeaders: "bearer",
      }).complete({ messages });
      await new ChatCompletionsClient(server.url, key, {
        ...transport.options,
        authHeaders: "api-key",
      }).complete({ messages });
      assert.deepEqual(
        [server.requests[0].headers.authorization, server.requests[0].headers["api-key"]],
        ["Bearer k", undefined],
      );
      assert.deepEqual(
        [server.requests[1].headers.authorization, server.requests[1].headers["api-key"]],
        [undefined, "k"],
      );
    });

    test("P2.3 a token credential sends Authorization: Bearer <token> with the default scope, and no api-key", async (t) => {
      const server = await useLoopbackServer(t, ok);
      const { credential, scopes } = countingCredential(3_600_000);
      await new ChatCompletionsClient(server.url, credential, transport.options).complete({ messages });
      assert.equal(server.requests[0].headers.authorization, "Bearer token-1");
      assert.equal(server.requests[0].headers["api-key"], undefined);
      assert.deepEqual(scopes, ["https://ml.azure.com/.default"]);
    });

    test("P2.3 credentialScopes overrides the default scope", async (t) => {
      const server = await useLoopbackServer(t, ok);
      const { credential, scopes } = countingCredential(3_600_000);
      const client = new ChatCompletionsClient(server.url, credential, {
        ...transport.options,
        credentialScopes: ["a/.default", "b/.default"],
      });
      await client.complete({ messages });
      assert.deepEqual(scopes, [["a/.default", "b/.default"]]);
    });

    test("P2.3 tokens are cached across calls", async (t) => {
      const server = await useLoopbackServer(t, ok);
      const { credential } = countingCredential(3_600_000);
      const client = new ChatCompletionsClient(server.url, credential, transport.options);
      for (let i = 0; i < 3; i++) await client.complete({ messages });
      assert.equal(credential.calls, 1);
      assert.deepEqual(authOf(server), ["Bearer token-1", "Bearer token-1", "Bearer token-1"]);
    });

    test("P2.3 concurrent calls share one token refresh", async (t) => {
      const server = await useLoopbackServer(t, ok);
      const { credential } = countingCredential(3_600_000, { delayMs: 30 });
      const client = new ChatCompletionsClient(server.url, credential, transport.options);
      await Promise.all(Array.from({ length: 10 }, () => client.complete({ messages })));
      assert.equal(credential.calls, 1);
      assert.equal(new Set(authOf(server)).size, 1);
    });

    test("P2.3 a token close to expiry is refreshed in the background while it still serves", async (t) => {
      const server = await useLoopbackServer(t, ok);
      const { credential } = countingCredential(90_000); // inside the 2-minute refresh window
      const client = new ChatCompletionsClient(server.url, credential, transport.options);
      await client.complete({ messages }); // fetches token-1
      await client.complete({ messages }); // uses token-1, refreshes in the background
      await new Promise((r) => setTimeout(r, 10));
      await client.complete({ messages });
      assert.deepEqual(authOf(server), ["Bearer token-1", "Bearer token-1", "Bearer token-2"]);
    });

    test("P2.3 an expired token is refreshed before the request", async (t) => {
      const server = await useLoopbackServer(t, ok);
      const { credential } = countingCredential(10_000); // inside the 30-second expiry margin
      const client = new ChatCompletionsClient(server.url, credential, transport.options);
      await client.complete({ messages });
      await client.complete({ messages });
      assert.deepEqual(authOf(server), ["Bearer token-1", "Bearer token-2"]);
    });

    test("P2.3 refreshAfterTimestamp starts the refresh early", async (t) => {
      const server = await useLoopbackServer(t, ok);
      const { credential } = countingCredential(3_600_000, { refreshAfterMs: -1 });
      const client = new ChatCompletionsClient(server.url, credential, transport.options);
      await client.complete({ messages });
      await client.complete({ messages });
      await new Promise((r) => setTimeout(r, 10));
      assert.equal(credential.calls, 2);
    });

    test("P2.3 a credential returning no token fails before sending; its own errors pass through", async (t) => {
      const server = await useLoopbackServer(t, ok);
      const none = new ChatCompletionsClient(server.url, { getToken: async () => null }, transport.options);
      await assert.rejects(none.complete({ messages }), ServiceRequestError);
      const failure = new Error("CredentialUnavailableError: no az login");
      const failing = new ChatCompletionsClient(
        server.url,
        { getToken: async () => Promise.reject(failure) },
        transport.options,
      );
      await assert.rejects(failing.complete({ messages }), (e) => e === failure);
      assert.equal(server.requests.length, 0);
    });
  });
}

test("P2.3 a token is never sent over plain http:// except to loopback", async (t) => {
  const { credential } = countingCredential(3_600_000);
  const client = new ChatCompletionsClient("http://models.example.test", credential);
  const error = await client.complete({ messages }).catch((e: unknown) => e);
  assert.ok(error instanceof ServiceRequestError);
  assert.match(
    (error as Error).message,
    /Refusing to send a bearer token over plain http:\/\/ to models\.example\.test/,
  );
  assert.equal(credential.calls, 0, "no token was even asked for");
  const server = await useLoopbackServer(t, ok);
  await new ChatCompletionsClient(server.url.replace("127.0.0.1", "localhost"), credential).complete({
    messages,
  });
  assert.equal(credential.calls, 1, "loopback is allowed");
});

test("P2.7 the proxy option routes requests through an HTTP proxy; a key goes wherever the user points it", async (t) => {
  const server = await useLoopbackServer(t, ok);
  const proxy = await useConnectProxy(t, server.port);
  const client = new ChatCompletionsClient("http://models.example.test/v1", new AzureKeyCredential("k"), {
    proxy: proxy.url,
    apiVersion: null,
  });
  assert.equal((await client.complete({ messages })).id, "1");
  assert.deepEqual(proxy.connects, ["models.example.test:80"]);
  assert.equal(server.requests[0].headers.host, "models.example.test");
  assert.equal(server.requests[0].path, "/v1/chat/completions");
  assert.equal(server.requests[0].headers["api-key"], "k");
});

test("P2.4 the URL and headers built for each kind of endpoint, over a proxy", async (t) => {
  const server = await useLoopbackServer(t, ok);
  const proxy = await useConnectProxy(t, server.port);
  const cases: [string, string | null | undefined, string, string | undefined][] = [
    [
      "http://m.eastus2.models.ai.azure.com",
      undefined,
      "/chat/completions?api-version=2024-05-01-preview",
      "pass-through",
    ],
    [
      "http://res.services.ai.azure.com/models",
      undefined,
      "/models/chat/completions?api-version=2024-05-01-preview",
      "pass-through",
    ],
    [
      "http://res.openai.azure.com/openai/deployments/gpt-4o",
      "2024-10-21",
      "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
      undefined,
    ],
    ["http://api.openai.com/v1", null, "/v1/chat/completions", undefined],
    ["http://localhost.example:11434/v1", null, "/v1/chat/completions", "pass-through"],
    [
      "http://models.github.ai/inference",
      undefined,
      "/inference/chat/completions?api-version=2024-05-01-preview",
      "pass-through",
    ],
  ];
  for (const [endpoint, apiVersion, url, extra] of cases) {
    const client = new ChatCompletionsClient(endpoint, new AzureKeyCredential("k"), {
      proxy: proxy.url,
      ...(apiVersion === undefined ? {} : { apiVersion }),
    });
    await client.complete({ messages, n: 1 });
    const sent = server.requests.at(-1)!;
    assert.equal(sent.url, url, endpoint);
    assert.equal(sent.headers.host, new URL(endpoint).host, endpoint);
    assert.equal(sent.headers["extra-parameters"], extra, endpoint);
    assert.equal(sent.headers.authorization, "Bearer k", endpoint);
  }
});

test("P3.3 credentials never show their secret", () => {
  const key = "sk-very-secret-0123456789";
  const credential = new AzureKeyCredential(key);
  for (const text of [
    inspect(credential, { showHidden: true }),
    String(credential),
    JSON.stringify(credential),
    `${credential}`,
  ]) {
    assert.ok(!text.includes(key), text);
  }
  assert.equal(credential.key, key);
  assert.throws(() => new AzureKeyCredential(""), TypeError);
  assert.throws(() => credential.update(undefined as never), TypeError);
});

test("P3.3 the token cache never shows its token", async () => {
  const cache = new TokenCache(
    { getToken: async () => ({ token: "tok-secret-42", expiresOnTimestamp: Date.now() + 3_600_000 }) },
    ["s"],
  );
  assert.equal(await cache.getToken(), "tok-secret-42");
  assert.ok(!inspect(cache, { showHidden: true }).includes("tok-secret-42"));
});
