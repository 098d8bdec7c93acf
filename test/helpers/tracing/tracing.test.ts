// ai-inference/tracing against replayed recordings (the Python reference's tracing tests' traffic
// among them) on a loopback server, spans read from the OpenTelemetry SDK's in-memory exporter:
// attributes, errors, content recording and its switches, secrets, and what tracing off costs.
import { afterEach, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import * as conventions from "@opentelemetry/semantic-conventions/incubating";
import {
  AzureKeyCredential,
  ChatCompletionsClient,
  type InstrumentedCall,
  type TokenCredential,
} from "../../../src/index.js";
import { disableTracing, enableTracing, SEMCONV_VERSION } from "../../../src/helpers/tracing/index.js";
import { ChatCompletionsRouter } from "../../../src/client/router/index.js";
import { requestAttributes } from "../../../src/helpers/tracing/attributes.js";
import { ATTR, PROVIDER_BY_KIND } from "../../../src/helpers/tracing/semconv.js";
import { type ReplyPlan, useLoopbackServer } from "../../support/loopback-server.js";
import { startReplay } from "../../support/replay.js";
import { assertNoSecretsInSpans, recordSpans } from "../../support/spans.js";

const UNICODE = "test_client_tracing.pyTestClientTracingtest_chat_completion_tracing_content_unicode";
const AUTH_FAILURE = "tracing_test_suite/recording_tracing_with_errors";
const KEY = "sk-tracing-secret-0123456789";
const spans = recordSpans();
const key = new AzureKeyCredential(KEY);

afterEach(() => {
  disableTracing();
  spans.reset();
});

const answer: ReplyPlan = {
  body: {
    id: "chatcmpl-7",
    created: 1,
    model: "gpt-4o-2024-11-20",
    choices: [
      { index: 0, finish_reason: "stop", message: { role: "assistant", content: "Fine." } },
      { index: 1, finish_reason: "length", message: { role: "assistant", content: "Fi" } },
    ],
    usage: {
      prompt_tokens: 12,
      completion_tokens: 4,
      total_tokens: 16,
      prompt_tokens_details: { cached_tokens: 8 },
      completion_tokens_details: { reasoning_tokens: 2 },
    },
  },
};

/** The recorded messages of a replay's first request. */
const recordedMessages = (body: unknown) =>
  (body as { messages: { role: string; content: string }[] }).messages;

describe("OT6 a replayed chat call makes one span per the conventions", () => {
  test("OT6 the Python reference's unicode recording: name, kind, scope and every attribute", async (t) => {
    const replay = await startReplay(t, UNICODE);
    enableTracing({ tracerProvider: spans.provider });
    const client = new ChatCompletionsClient(replay.endpoint, key);
    const result = await client.complete({
      messages: recordedMessages(replay.recording.entries[0].RequestBody),
    });
    replay.verify();
    const span = spans.only();
    assert.equal(span.name, "chat", "no model in the request: the operation alone");
    assert.equal(span.kind, SpanKind.CLIENT);
    assert.deepEqual(span.instrumentationScope, {
      name: "ai-inference",
      version: "0.1.0",
      schemaUrl: `https://opentelemetry.io/schemas/${SEMCONV_VERSION}`,
    });
    assert.deepEqual(span.attributes, {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "azure.ai.inference",
      "server.address": "127.0.0.1",
      "server.port": replay.server.port,
      "gen_ai.request.stream": false,
      "gen_ai.response.id": "Sanitized",
      "gen_ai.response.model": "mistral-large-2411",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": 38,
      "gen_ai.usage.output_tokens": 69,
    });
    assert.equal(span.status.code, SpanStatusCode.UNSET);
    assert.equal(span.events.length, 0, "content is off by default, and nothing else is an event");
    assert.equal(result.usage?.completionTokens, 69, "the caller's answer is untouched");
  });
});

describe("OT7 request parameters from the merged request, defaults included", () => {
  test("OT7 client defaults and call options as sent; the model names the span", async (t) => {
    const server = await useLoopbackServer(t, answer);
    enableTracing({ tracerProvider: spans.provider });
    const client = new ChatCompletionsClient(server.url, null, {
      apiVersion: null,
      defaults: {
        model: "gpt-4o",
        temperature: 0.5,
        topP: 0.9,
        maxTokens: 100,
        seed: 42,
        stop: ["\n\n", "END"],
        frequencyPenalty: 0.1,
        presencePenalty: 0.2,
      },
      modelExtras: { top_k: 40 },
    });
    await client.complete({
      messages: [{ role: "user", content: "hi" }],
      temperature: 0,
      n: 2,
      responseFormat: "json_object",
    });
    const span = spans.only();
    assert.equal(span.name, "chat gpt-4o");
    assert.deepEqual(span.attributes, {
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o",
      "server.address": "127.0.0.1",
      "server.port": server.port,
      "gen_ai.request.temperature": 0,
      "gen_ai.request.top_p": 0.9,
      "gen_ai.request.top_k": 40,
      "gen_ai.request.max_tokens": 100,
      "gen_ai.request.seed": 42,
      "gen_ai.request.frequency_penalty": 0.1,
      "gen_ai.request.presence_penalty": 0.2,
      "gen_ai.request.stop_sequences": ["\n\n", "END"],
      "gen_ai.request.choice.count": 2,
      "gen_ai.output.type": "json",
      "gen_ai.request.stream": false,
      "gen_ai.response.id": "chatcmpl-7",
      "gen_ai.response.model": "gpt-4o-2024-11-20",
      "gen_ai.response.finish_reasons": ["stop", "length"],
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 4,
      "gen_ai.usage.cache_read.input_tokens": 8,
      "gen_ai.usage.reasoning.output_tokens": 2,
    });
  });

  test("OT7 the provider comes from the endpoint kind; server address and port from the endpoint", () => {
    const call = (endpoint: string, kind: InstrumentedCall["kind"]): InstrumentedCall => ({
      operation: "chat",
      clientName: "ChatCompletionsClient",
      endpoint,
      kind,
      apiVersion: null,
      stream: true,
      request: { messages: [] },
      tracing: undefined,
    });
    const cases: [string, InstrumentedCall["kind"], Record<string, unknown>][] = [
      [
        "https://m.eastus2.models.ai.azure.com",
        "model-inference",
        { provider: "azure.ai.inference", port: 443 },
      ],
      [
        "https://r.openai.azure.com/openai/deployments/my%20gpt",
        "azure-openai",
        { provider: "azure.ai.openai", port: 443, model: "my gpt" },
      ],
      ["https://models.github.ai/inference", "github-models", { provider: "github", port: 443 }],
      ["https://api.openai.com/v1", "openai", { provider: "openai", port: 443 }],
      ["http://[::1]:11434/v1", "openai-compatible", { provider: "openai", port: 11434, address: "::1" }],
      ["http://localhost/v1", "openai-compatible", { provider: "openai", port: 80, address: "localhost" }],
    ];
    for (const [endpoint, kind, want] of cases) {
      const attributes = requestAttributes(call(endpoint, kind));
      assert.equal(attributes["gen_ai.provider.name"], want.provider, endpoint);
      assert.equal(attributes["server.port"], want.port, endpoint);
      assert.equal(attributes["server.address"], want.address ?? new URL(endpoint).hostname, endpoint);
      assert.equal(attributes["gen_ai.request.model"], want.model, endpoint);
      assert.equal(attributes["gen_ai.request.stream"], true);
    }
  });
});

describe("OT10 errors set error.type and the span status", () => {
  test("OT10 the recorded 401: error.type 401, status ERROR with the service's message", async (t) => {
    const replay = await startReplay(t, AUTH_FAILURE);
    enableTracing({ tracerProvider: spans.provider });
    const client = new ChatCompletionsClient(replay.endpoint, key);
    const error = (await client.complete({ messages: [{ role: "user", content: "" }] }).then(
      () => assert.fail("a 401 rejects"),
      (e: unknown) => e,
    )) as Error;
    replay.verify();
    assert.equal(error.name, "ClientAuthenticationError");
    const span = spans.only();
    assert.equal(span.name, "chat gpt-4o", "the Azure OpenAI deployment is the model requested");
    assert.equal(span.attributes["gen_ai.provider.name"], "azure.ai.openai");
    assert.equal(span.attributes["error.type"], "401");
    assert.deepEqual(span.status, { code: SpanStatusCode.ERROR, message: error.message });
    assert.match(error.message, /^401 Unauthorized/);
    assert.equal(span.attributes["gen_ai.response.id"], undefined);
  });

  test("OT10 no connection, a timeout, an abort: the error's class, or timeout", async (t) => {
    enableTracing({ tracerProvider: spans.provider });
    const refused = new ChatCompletionsClient("http://127.0.0.1:1", null, { maxRetries: 0 });
    await assert.rejects(refused.complete({ messages: [{ role: "user", content: "hi" }] }));
    const server = await useLoopbackServer(t, { neverAnswer: true });
    const silent = new ChatCompletionsClient(server.url, null, { maxRetries: 0, timeoutMs: 50 });
    await assert.rejects(silent.complete({ messages: [{ role: "user", content: "hi" }] }));
    const controller = new AbortController();
    const aborted = silent.complete({
      messages: [{ role: "user", content: "hi" }],
      abortSignal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(aborted);
    assert.deepEqual(
      spans.spans().map((s) => [s.attributes["error.type"], s.status.code]),
      [
        ["ServiceRequestError", SpanStatusCode.ERROR],
        ["timeout", SpanStatusCode.ERROR],
        ["AbortError", SpanStatusCode.ERROR],
      ],
    );
  });
});

describe("OT11 content recording: off by default, on by option or environment", () => {
  const input = (body: unknown) => [
    { role: "system", parts: [{ type: "text", content: recordedMessages(body)[0].content }] },
    { role: "user", parts: [{ type: "text", content: recordedMessages(body)[1].content }] },
  ];
  const output = (replay: Awaited<ReturnType<typeof startReplay>>) => {
    const body = replay.recording.entries[0].ResponseBody as { choices: { message: { content: string } }[] };
    return [
      {
        role: "assistant",
        parts: [{ type: "text", content: body.choices[0].message.content }],
        finish_reason: "stop",
      },
    ];
  };
  const contentOf = (span: { attributes: Record<string, unknown> }) => ({
    input:
      span.attributes["gen_ai.input.messages"] &&
      JSON.parse(span.attributes["gen_ai.input.messages"] as string),
    output:
      span.attributes["gen_ai.output.messages"] &&
      JSON.parse(span.attributes["gen_ai.output.messages"] as string),
  });

  const cases: [string, Parameters<typeof enableTracing>[0], object | undefined, boolean][] = [
    ["off by default (and with the variable unset)", { env: {} }, undefined, false],
    ["on by enableTracing({ recordContent: true })", { recordContent: true, env: {} }, undefined, true],
    [
      "on by the environment variable",
      { env: { AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED: "True" } },
      undefined,
      true,
    ],
    [
      "the variable at anything but true is off",
      { env: { AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED: "1" } },
      undefined,
      false,
    ],
    ["on by the client's option", { env: {} }, { recordContent: true }, true],
    [
      "the client's false wins over the environment",
      { env: { AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED: "true" } },
      { recordContent: false },
      false,
    ],
    [
      "the option's false wins over the environment",
      { recordContent: false, env: { AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED: "true" } },
      undefined,
      false,
    ],
  ];
  for (const [title, options, tracing, recorded] of cases) {
    test(`OT11 ${title}`, async (t) => {
      const replay = await startReplay(t, UNICODE);
      enableTracing({ ...options, tracerProvider: spans.provider });
      const client = new ChatCompletionsClient(replay.endpoint, key, tracing && { tracing });
      const body = replay.recording.entries[0].RequestBody;
      await client.complete({ messages: recordedMessages(body) });
      const content = contentOf(spans.only() as never);
      if (recorded) assert.deepEqual(content, { input: input(body), output: output(replay) });
      else assert.deepEqual(content, { input: undefined, output: undefined });
    });
  }

  test("OT11 the process environment is the default env", async (t) => {
    const replay = await startReplay(t, UNICODE);
    process.env.AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED = "true";
    t.after(() => delete process.env.AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED);
    enableTracing({ tracerProvider: spans.provider });
    await new ChatCompletionsClient(replay.endpoint, key).complete({
      messages: recordedMessages(replay.recording.entries[0].RequestBody),
    });
    assert.ok(spans.only().attributes["gen_ai.input.messages"]);
  });

  test("OT11 images, audio, tool calls and tool results take the conventions' part shapes", async (t) => {
    const server = await useLoopbackServer(t, answer);
    enableTracing({ tracerProvider: spans.provider, recordContent: true });
    const client = new ChatCompletionsClient(server.url, null);
    await client.complete({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
            { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "look", arguments: '{"at":"cat"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "a cat" },
      ] as never,
      tools: [
        {
          type: "function",
          function: { name: "look", description: "Looks", parameters: { type: "object" } },
        },
      ],
    });
    const span = spans.only();
    assert.deepEqual(JSON.parse(span.attributes["gen_ai.input.messages"] as string), [
      {
        role: "user",
        parts: [
          { type: "text", content: "What is this?" },
          { type: "blob", modality: "image", mime_type: "image/png", content: "iVBORw0KGgo=" },
          { type: "uri", modality: "image", uri: "https://example.com/cat.jpg" },
          { type: "blob", modality: "audio", mime_type: "audio/wav", content: "UklGRg==" },
        ],
      },
      {
        role: "assistant",
        parts: [{ type: "tool_call", id: "call_1", name: "look", arguments: { at: "cat" } }],
      },
      { role: "tool", parts: [{ type: "tool_call_response", id: "call_1", response: "a cat" }] },
    ]);
    assert.deepEqual(JSON.parse(span.attributes["gen_ai.tool.definitions"] as string), [
      { type: "function", name: "look", description: "Looks", parameters: { type: "object" } },
    ]);
    assert.deepEqual(JSON.parse(span.attributes["gen_ai.output.messages"] as string), [
      { role: "assistant", parts: [{ type: "text", content: "Fine." }], finish_reason: "stop" },
      { role: "assistant", parts: [{ type: "text", content: "Fi" }], finish_reason: "length" },
    ]);
  });
});

describe("OT12 no secret ever reaches a span", () => {
  test("OT12 keys, tokens and auth headers appear in no attribute, event or status, content on", async (t) => {
    enableTracing({ tracerProvider: spans.provider, recordContent: true });
    const token = "eyJ0eXAiOiJKV1Qi.tracing-token-secret";
    const tokens: TokenCredential = {
      getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    const replay = await startReplay(t, UNICODE);
    await new ChatCompletionsClient(replay.endpoint, key).complete({
      messages: recordedMessages(replay.recording.entries[0].RequestBody),
    });
    const failing = await startReplay(t, AUTH_FAILURE);
    await assert.rejects(
      new ChatCompletionsClient(failing.endpoint, tokens).complete({
        messages: [{ role: "user", content: "" }],
      }),
    );
    const server = await useLoopbackServer(t, answer, {
      status: 401,
      body: { error: { message: `bad key ${KEY}` } },
    });
    const withQuery = `${server.url}/?sig=query-secret-sig`;
    await new ChatCompletionsClient(withQuery, key, {
      headers: { "x-custom-secret": "header-secret" },
    }).complete({
      messages: [{ role: "user", content: "hi" }],
    });
    await assert.rejects(
      new ChatCompletionsClient(server.url, key, { maxRetries: 0 }).complete({
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    assert.equal(spans.spans().length, 4);
    assertNoSecretsInSpans(spans.spans(), [KEY, token, "query-secret-sig", "header-secret"]);
  });
});

describe("OT13 tracing off costs no spans", () => {
  test("OT13 loaded but not enabled, opted out, or opted-in mode: spans only where asked", async (t) => {
    const server = await useLoopbackServer(t, answer);
    const messages = [{ role: "user", content: "hi" }];
    // The global provider records too, so that a span made through it would be seen.
    trace.setGlobalTracerProvider(spans.provider);
    t.after(() => trace.disable());
    const plain = new ChatCompletionsClient(server.url, null);
    const optedOut = new ChatCompletionsClient(server.url, null, { tracing: { enabled: false } });
    const optedIn = new ChatCompletionsClient(server.url, null, { tracing: { enabled: true } });

    await plain.complete({ messages });
    assert.equal(spans.spans().length, 0, "loaded, never enabled: no span");
    await optedIn.complete({ messages });
    assert.equal(spans.spans().length, 1, "a client that asks traces to the global provider");

    enableTracing({ tracerProvider: spans.provider, clients: "opted-in" });
    await plain.complete({ messages });
    await optedOut.complete({ messages });
    assert.equal(spans.spans().length, 1, "opted-in mode: no span for the others");

    enableTracing({ tracerProvider: spans.provider });
    await optedOut.complete({ messages });
    assert.equal(spans.spans().length, 1, "a client that says no is never traced");
    await plain.complete({ messages });
    assert.equal(spans.spans().length, 2);

    disableTracing();
    await plain.complete({ messages });
    assert.equal(spans.spans().length, 2, "disabled again");
  });

  test("OT13 enableTracing checks its options", () => {
    const bad: [object, RegExp][] = [
      [{ recordContent: "yes" }, /recordContent/],
      [{ tracerProvider: {} }, /TracerProvider/],
      [{ env: "x" }, /env/],
      [{ clients: "some" }, /clients/],
      [{ sampler: 1 }, /unknown option "sampler"/],
    ];
    for (const [options, message] of bad)
      assert.throws(() => enableTracing(options as never), { name: "TypeError", message });
  });
});

describe("OT17 the names are those of the pinned conventions", () => {
  test(`OT17 every gen_ai, server and error name written is in semantic conventions ${SEMCONV_VERSION}`, () => {
    const known = new Set<unknown>(
      Object.entries(conventions)
        .filter(([name]) => name.startsWith("ATTR_"))
        .map(([, value]) => value),
    );
    for (const name of Object.values(ATTR)) {
      if (name.startsWith("ai_inference.")) continue; // this package's own
      assert.ok(known.has(name), `${name} is a convention of ${SEMCONV_VERSION}`);
    }
    assert.ok(!Object.values(ATTR).includes("gen_ai.system" as never), "not the deprecated gen_ai.system");
    const providers = new Set<unknown>(
      Object.entries(conventions)
        .filter(([n]) => n.startsWith("GEN_AI_PROVIDER_NAME_VALUE_"))
        .map(([, v]) => v),
    );
    const ours = new Set(Object.values(PROVIDER_BY_KIND));
    assert.deepEqual(
      [...ours].filter((p) => !providers.has(p)),
      ["github"],
      "github is the one value of our own (docs/tracing.md)",
    );
    assert.equal(conventions.ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, ATTR.responseTimeToFirstChunk);
  });
});

describe("issue 14 a router's call: tracing sees which deployment served each attempt", () => {
  test("issue 14 one span per routed call, an event per attempt naming its deployment, the last one on the span", async (t) => {
    enableTracing({ tracerProvider: spans.provider });
    const down = await useLoopbackServer(t, { status: 503, body: { error: { message: "down" } } });
    const up = await useLoopbackServer(t, {
      body: {
        id: "r1",
        created: 1,
        model: "m",
        choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "ok" } }],
      },
    });
    const router = new ChatCompletionsRouter(
      [
        { name: "east", endpoint: down.url, credential: key, priority: 0 },
        { name: "west", endpoint: up.url, credential: key, priority: 1 },
      ],
      { apiVersion: null },
    );
    await router.complete({ messages: [{ role: "user", content: "hi" }] });
    const span = spans.only();
    assert.equal(span.attributes["ai_inference.router.deployment"], "west");
    assert.deepEqual(
      span.events.map((e) => [
        e.name,
        e.attributes?.["ai_inference.router.deployment"],
        e.attributes?.["ai_inference.router.outcome"],
      ]),
      [
        ["ai_inference.router.attempt", "east", "503"],
        ["ai_inference.router.attempt", "west", "200"],
      ],
    );
    assertNoSecretsInSpans(spans.spans(), [KEY]);
  });
});
