import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type BodyContext,
  buildChatBody,
  buildEmbeddingsBody,
  toResponseFormat,
} from "../../src/client/request.js";
import { defaultCredentialScope, endpointKind, isLoopbackHost } from "../../src/client/endpoint-kind.js";
import { DEFAULT_API_VERSION, normalizeClientOptions } from "../../src/client/options.js";
import {
  ChatCompletionsResponseFormatJsonObject,
  JsonSchemaFormat,
  SystemMessage,
  UserMessage,
  chatOptionWireNames,
} from "../../src/models/index.js";

const mi: BodyContext = { kind: "model-inference", defaults: {}, modelExtras: undefined };
const aoai: BodyContext = { ...mi, kind: "azure-openai" };
const messages = [{ role: "user", content: "hi" }];
const json = (prepared: { body: string | Uint8Array }): Record<string, unknown> =>
  JSON.parse(prepared.body as string);

test("P1.3 every camelCase option becomes its wire name", () => {
  const values: Record<string, unknown> = {
    messages,
    frequencyPenalty: 0.1,
    presencePenalty: 0.2,
    temperature: 1.5,
    topP: 0.9,
    maxTokens: 10,
    stop: ["x"],
    responseFormat: "text",
    tools: [{ type: "function", function: { name: "f" } }],
    toolChoice: "auto",
    seed: 7,
    model: "m",
    modalities: ["text"],
    maxCompletionTokens: 20,
    reasoningEffort: "low",
    n: 2,
    user: "u",
    logprobs: true,
    topLogprobs: 3,
    logitBias: { "50256": -100 },
    parallelToolCalls: false,
  };
  const body = json(buildChatBody(values, aoai));
  for (const [typed, wire] of Object.entries(chatOptionWireNames)) {
    if (typed === "stream") continue;
    assert.ok(Object.hasOwn(body, wire), `${typed} → ${wire}`);
  }
  assert.deepEqual(body.response_format, { type: "text" });
  assert.equal(body.temperature, 1.5, "P1.2 no range checks");
});

test("P1.3 keys whose value is undefined are not sent", () => {
  assert.deepEqual(json(buildChatBody({ messages, temperature: undefined, seed: undefined }, mi)), {
    messages,
  });
});

test("P1.3 an unknown option throws TypeError naming it and pointing to modelExtras", () => {
  assert.throws(
    () => buildChatBody({ messages, foo: 1 }, mi),
    (e: Error) => e instanceof TypeError && /"foo"/.test(e.message) && /modelExtras/.test(e.message),
  );
  assert.throws(() => buildChatBody({ messages, max_tokens: 1 }, mi), /did you mean "maxTokens"/);
});

test("P1.2 messages are required, at least one", () => {
  assert.throws(() => buildChatBody({}, mi), TypeError);
  assert.throws(() => buildChatBody({ messages: [] }, mi), TypeError);
});

test("P1.8 messages may be models or plain wire objects, mixed", () => {
  const body = json(
    buildChatBody(
      {
        messages: [new SystemMessage("be brief"), { role: "user", content: "hi" }, new UserMessage("again")],
      },
      mi,
    ),
  );
  assert.deepEqual(body.messages, [
    { role: "system", content: "be brief" },
    { role: "user", content: "hi" },
    { role: "user", content: "again" },
  ]);
});

test("P1.4 response_format conversions", () => {
  assert.deepEqual(toResponseFormat("text"), { type: "text" });
  assert.deepEqual(toResponseFormat("json_object"), { type: "json_object" });
  const schema = new JsonSchemaFormat({ name: "answer", schema: { type: "object" }, strict: true });
  assert.deepEqual(JSON.parse(JSON.stringify(toResponseFormat(schema))), {
    type: "json_schema",
    json_schema: { name: "answer", schema: { type: "object" }, strict: true },
  });
  const model = new ChatCompletionsResponseFormatJsonObject();
  assert.equal(toResponseFormat(model), model);
  const wire = { type: "json_schema", json_schema: { name: "x", schema: {} } };
  assert.equal(toResponseFormat(wire), wire);
  // Structured outputs added schemas with their name (and Zod 4.2+ schemas) to the list.
  assert.deepEqual(JSON.parse(JSON.stringify(toResponseFormat({ name: "x", schema: {} }))), {
    type: "json_schema",
    json_schema: { name: "x", schema: {} },
  });
  for (const bad of ["foo", { type: "xml" }, { type: "object", properties: {} }, { name: "x" }, 42, null]) {
    assert.throws(() => toResponseFormat(bad), TypeError, JSON.stringify(bad));
  }
});

test("P1.5 model extras go to the top level with extra-parameters: pass-through; per-call extras win", () => {
  const context = { ...mi, modelExtras: { top_k: 1, safe_mode: true } };
  const prepared = buildChatBody({ messages, modelExtras: { top_k: 5 } }, context);
  assert.deepEqual(json(prepared), { messages, top_k: 5, safe_mode: true });
  assert.equal(prepared.passThrough, true);
});

test("P1.5 an extra that collides with a standard field throws TypeError", () => {
  assert.throws(() => buildChatBody({ messages, modelExtras: { temperature: 1 } }, mi), /collides/);
  assert.throws(() => buildChatBody({ messages }, { ...mi, modelExtras: { messages: [] } }), /collides/);
});

test("P1.5 the header is sent when, and only when, the body has a key outside the schema and the endpoint is not (Azure) OpenAI", () => {
  assert.equal(buildChatBody({ messages, temperature: 1 }, mi).passThrough, false);
  assert.equal(
    buildChatBody({ messages, n: 1 }, mi).passThrough,
    true,
    "OpenAI-only option on Model Inference",
  );
  assert.equal(buildChatBody({ messages, n: 1 }, aoai).passThrough, false);
  assert.equal(buildChatBody({ messages, n: 1 }, { ...mi, kind: "openai" }).passThrough, false);
  assert.equal(buildChatBody({ messages, n: 1 }, { ...mi, kind: "github-models" }).passThrough, true);
  assert.equal(
    buildChatBody({ messages, modelExtras: { a: 1 } }, { ...mi, kind: "openai-compatible" }).passThrough,
    true,
  );
});

test("P1.6 client defaults fill what a call leaves unset", () => {
  const context = { ...mi, defaults: { temperature: 0.5, model: "m", maxTokens: 9 } };
  assert.deepEqual(json(buildChatBody({ messages, temperature: 1 }, context)), {
    messages,
    temperature: 1,
    max_tokens: 9,
    model: "m",
  });
});

test("P1.7 a raw body is sent exactly, with no defaults and no extras", () => {
  const context = { ...mi, defaults: { temperature: 0.5 }, modelExtras: { top_k: 1 } };
  const object = buildChatBody({ body: { messages, stream: true, anything: 1 } }, context);
  assert.deepEqual(json(object), { messages, stream: true, anything: 1 });
  assert.equal(object.stream, true, "stream read from an object body");
  assert.equal(object.passThrough, false);
  const text = '{"messages": [ ]}';
  assert.equal(buildChatBody({ body: text }, context).body, text);
  assert.equal(
    buildChatBody({ body: text, stream: true }, context).stream,
    true,
    "stream from the call for a string",
  );
  const bytes = new Uint8Array([123, 125]);
  assert.equal(buildChatBody({ body: bytes }, context).body, bytes);
});

test("P1.7 body together with any wire option rejects with TypeError", () => {
  for (const extra of [{ messages }, { temperature: 1 }, { modelExtras: { a: 1 } }, { includeUsage: true }]) {
    assert.throws(() => buildChatBody({ body: {}, ...extra }, mi), TypeError, JSON.stringify(extra));
  }
  assert.throws(() => buildChatBody({ body: {}, stream: true }, mi), /put "stream" in the body/);
  assert.doesNotThrow(
    () => buildChatBody({ body: {}, timeoutMs: 5, headers: {} }, mi),
    "request options are fine",
  );
});

test("P5.6 stream_options is sent by default only where known to be accepted", () => {
  const usage = { include_usage: true };
  for (const kind of ["azure-openai", "openai", "github-models", "openai-compatible"] as const) {
    const prepared = buildChatBody({ messages, stream: true }, { ...mi, kind });
    assert.deepEqual(json(prepared).stream_options, usage, kind);
    assert.equal(prepared.passThrough, false, `${kind}: the default stream_options adds no header`);
  }
  const plain = buildChatBody({ messages, stream: true }, mi);
  assert.deepEqual(json(plain), { messages, stream: true });
  assert.equal(plain.passThrough, false);
});

test("P5.6 includeUsage: true sends it with pass-through on Model Inference; false never sends it", () => {
  const asked = buildChatBody({ messages, stream: true, includeUsage: true }, mi);
  assert.deepEqual(json(asked).stream_options, { include_usage: true });
  assert.equal(asked.passThrough, true);
  const refused = buildChatBody({ messages, stream: true, includeUsage: false }, aoai);
  assert.equal(json(refused).stream_options, undefined);
  assert.equal(
    json(buildChatBody({ messages, includeUsage: true }, aoai)).stream_options,
    undefined,
    "only when streaming",
  );
  assert.equal(
    json(buildChatBody({ body: { messages, stream: true } }, aoai)).stream_options,
    undefined,
    "never on the raw path",
  );
});

test("P1.9 embeddings options become wire names; input is required", () => {
  const prepared = buildEmbeddingsBody(
    { input: ["a"], dimensions: 8, encodingFormat: "base64", inputType: "query", model: "m" },
    { ...mi, defaults: { dimensions: 4 } },
    "embed",
  );
  assert.deepEqual(json(prepared), {
    input: ["a"],
    dimensions: 8,
    encoding_format: "base64",
    input_type: "query",
    model: "m",
  });
  assert.throws(() => buildEmbeddingsBody({}, mi, "embed"), TypeError);
  assert.throws(
    () => buildEmbeddingsBody({ input: ["a"], encoding_format: "x" }, mi, "embed"),
    /encodingFormat/,
  );
  assert.equal(
    buildEmbeddingsBody({ input: ["a"], modelExtras: { truncate: "END" } }, mi, "embed").passThrough,
    true,
  );
});

test("P2.4 endpoint kinds", () => {
  const kind = (url: string, apiVersion: string | null = DEFAULT_API_VERSION) =>
    endpointKind(new URL(url), apiVersion);
  assert.equal(kind("https://m.eastus2.models.ai.azure.com"), "model-inference");
  assert.equal(kind("https://x.eastus2.inference.ml.azure.com"), "model-inference");
  assert.equal(kind("https://res.services.ai.azure.com/models"), "model-inference");
  assert.equal(kind("https://res.openai.azure.com/openai/deployments/gpt-4o"), "azure-openai");
  assert.equal(kind("https://proxy.example/openai/deployments/gpt-4o"), "azure-openai");
  assert.equal(kind("https://RES.OPENAI.AZURE.COM"), "azure-openai");
  assert.equal(kind("https://models.github.ai/inference"), "github-models");
  assert.equal(kind("https://models.inference.ai.azure.com"), "github-models");
  assert.equal(kind("https://api.openai.com/v1", null), "openai");
  assert.equal(kind("http://localhost:11434/v1", null), "openai-compatible");
});

test("P2.4 the URL each kind of endpoint builds", () => {
  const url = (endpoint: string, apiVersion?: string | null) => {
    const o = normalizeClientOptions(
      "T",
      endpoint,
      apiVersion === undefined ? {} : { apiVersion },
      new Set(),
    );
    return `${o.baseUrl}/chat/completions${o.query ? `?${o.query}` : ""}`;
  };
  assert.equal(
    url("https://m.eastus2.models.ai.azure.com"),
    "https://m.eastus2.models.ai.azure.com/chat/completions?api-version=2024-05-01-preview",
  );
  assert.equal(
    url("https://res.services.ai.azure.com/models/"),
    "https://res.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview",
  );
  assert.equal(
    url("https://res.openai.azure.com/openai/deployments/gpt-4o", "2024-10-21"),
    "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
  );
  assert.equal(url("https://api.openai.com/v1", null), "https://api.openai.com/v1/chat/completions");
  assert.equal(url("http://localhost:11434/v1///", null), "http://localhost:11434/v1/chat/completions");
  assert.equal(
    url("https://models.github.ai/inference"),
    "https://models.github.ai/inference/chat/completions?api-version=2024-05-01-preview",
  );
});

test("P1.1 a query in the endpoint is kept and merged; its api-version wins", () => {
  const o = normalizeClientOptions(
    "T",
    "https://h.example/base/?tenant=a&api-version=2025-01-01",
    { apiVersion: "2024-10-21" },
    new Set(),
  );
  assert.equal(o.query, "tenant=a&api-version=2025-01-01");
  assert.equal(o.baseUrl, "https://h.example/base");
  const p = normalizeClientOptions("T", "https://h.example/?tenant=a", { apiVersion: null }, new Set());
  assert.equal(p.query, "tenant=a");
});

test("P2.3 default token scope per host", () => {
  const scope = (url: string) => defaultCredentialScope(new URL(url));
  assert.equal(scope("https://res.openai.azure.com"), "https://cognitiveservices.azure.com/.default");
  assert.equal(
    scope("https://res.services.ai.azure.com/models"),
    "https://cognitiveservices.azure.com/.default",
  );
  assert.equal(
    scope("https://res.cognitiveservices.azure.com"),
    "https://cognitiveservices.azure.com/.default",
  );
  assert.equal(scope("https://m.eastus2.models.ai.azure.com"), "https://ml.azure.com/.default");
  assert.equal(scope("https://notopenai.azure.com.evil.example"), "https://ml.azure.com/.default");
});

test("P2.3 loopback hosts", () => {
  for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1", "app.localhost"])
    assert.ok(isLoopbackHost(host), host);
  for (const host of ["example.com", "10.0.0.1", "128.0.0.1", "localhost.example.com"])
    assert.ok(!isLoopbackHost(host), host);
});

test("P1.10 an unknown client option throws TypeError; bad values name the option", () => {
  assert.throws(
    () => normalizeClientOptions("T", "https://h.example", { retries: 2 } as object, new Set()),
    /unknown option "retries"/,
  );
  assert.throws(
    () => normalizeClientOptions("T", "https://h.example", { maxRetries: -1 }, new Set()),
    RangeError,
  );
  assert.throws(
    () => normalizeClientOptions("T", "https://h.example", { timeoutMs: "5" } as object, new Set()),
    /timeoutMs/,
  );
  assert.throws(
    () => normalizeClientOptions("T", "https://h.example", { authHeaders: "x" } as object, new Set()),
    /authHeaders/,
  );
  assert.throws(
    () => normalizeClientOptions("T", "https://h.example", { proxy: "socks5://p" }, new Set()),
    /proxy/,
  );
  assert.throws(
    () =>
      normalizeClientOptions(
        "T",
        "https://h.example",
        { defaults: { temprature: 1 } },
        new Set(["temperature"]),
      ),
    /temprature/,
  );
  assert.throws(() => normalizeClientOptions("T", "ftp://h.example", {}, new Set()), /http/);
  assert.throws(() => normalizeClientOptions("T", "not a url", {}, new Set()), TypeError);
  assert.ok(Object.isFrozen(normalizeClientOptions("T", "https://h.example", {}, new Set())));
});
