// Issue 13, tracing: a tool run is one trace. An `invoke_agent` span for runTools(), its chat spans
// as children, one `execute_tool` span per call with the GenAI attributes (arguments and result
// only with content recording), `error.type` on failure. OT19–OT21 in docs/tracing.md.
import { after, afterEach, before, test } from "node:test";
import assert from "node:assert/strict";
import { SpanKind, SpanStatusCode, context } from "@opentelemetry/api";
import * as z from "zod";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { AzureKeyCredential, ChatCompletionsClient, SystemMessage, UserMessage } from "../../../src/index.js";
import { disableTracing, enableTracing } from "../../../src/helpers/tracing/index.js";
import { type RunnableTool, runTools } from "../../../src/helpers/tools/index.js";
import { useLoopbackServer } from "../../support/loopback-server.js";
import { startReplay } from "../../support/replay.js";
import { reply, streamReply, toolCall } from "../../support/chat-replies.js";
import { recordSpans } from "../../support/spans.js";

const manager = new AsyncLocalStorageContextManager();
before(() => context.setGlobalContextManager(manager.enable()));
after(() => {
  manager.disable();
  context.disable();
});
afterEach(() => disableTracing());

const messages = [new UserMessage("Weather in Paris?")];
const weather: RunnableTool = { name: "get_weather", execute: () => ({ temp: 21 }) };
const broken: RunnableTool = {
  name: "broken",
  execute: () => {
    throw new RangeError("sensor offline");
  },
};

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

test("#13 OT19 a tool run is one trace: invoke_agent parent, its chat spans and one execute_tool span per call as children", async (t) => {
  const spans = recordSpans();
  enableTracing({ tracerProvider: spans.provider, recordContent: false });
  const server = await useLoopbackServer(
    t,
    reply({
      toolCalls: [toolCall("call_1", "get_weather", { city: "Paris" }), toolCall("call_2", "broken", {})],
    }),
    reply({ content: "Sunny" }),
  );
  const client = new ChatCompletionsClient(server.url, null, { apiVersion: null, maxRetries: 0 });
  await runTools(client, { messages, tools: [weather, broken], model: "m1" });
  const all = spans.spans();
  const run = all.find((span) => span.name === "invoke_agent")!;
  assert.ok(run, all.map((s) => s.name).join(", "));
  assert.equal(run.kind, SpanKind.INTERNAL);
  assert.equal(run.attributes["gen_ai.operation.name"], "invoke_agent");
  assert.equal(run.attributes["gen_ai.provider.name"], "openai");
  assert.equal(run.attributes["gen_ai.request.model"], "m1");
  assert.equal(run.attributes["gen_ai.usage.input_tokens"], 20);
  assert.equal(run.attributes["gen_ai.usage.output_tokens"], 10);
  assert.equal(parentOf(run), undefined, "the run is the root");
  const chats = all.filter((span) => span.name.startsWith("chat"));
  assert.equal(chats.length, 2);
  for (const chat of chats) {
    assert.equal(parentOf(chat), run.spanContext().spanId);
    assert.equal(chat.spanContext().traceId, run.spanContext().traceId);
  }
  const tools = all.filter((span) => span.name.startsWith("execute_tool"));
  assert.deepEqual(tools.map((span) => span.name).sort(), [
    "execute_tool broken",
    "execute_tool get_weather",
  ]);
  const ok = tools.find((span) => span.name === "execute_tool get_weather")!;
  assert.equal(parentOf(ok), run.spanContext().spanId);
  assert.deepEqual(ok.attributes, {
    "gen_ai.operation.name": "execute_tool",
    "gen_ai.tool.name": "get_weather",
    "gen_ai.tool.type": "function",
    "gen_ai.tool.call.id": "call_1",
  });
  assert.equal(ok.status.code, SpanStatusCode.UNSET);
  const failed = tools.find((span) => span.name === "execute_tool broken")!;
  assert.equal(failed.attributes["error.type"], "RangeError");
  assert.equal(failed.status.code, SpanStatusCode.ERROR);
  // The SDK anchors each span at Date.now() (whole milliseconds) and adds performance.now() to it, so
  // two spans' clocks differ by up to 1 ms: the run ending right after its last chat may read earlier.
  const nanos = (time: [number, number]) => time[0] * 1e9 + time[1];
  assert.ok(nanos(run.endTime) >= nanos(chats[1].endTime) - 1e6, "the run ends after its last chat");
});

test("#13 OT19 replayed: the recorded Mistral tool round trip is one trace, its usage summed on the run span", async (t) => {
  const spans = recordSpans();
  enableTracing({ tracerProvider: spans.provider, recordContent: false });
  const replay = await startReplay(t, "test_chat_completions_with_tool");
  type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const entries = replay.recording.entries.map((entry) => entry as unknown as Json);
  const recorded = entries[0].RequestBody as Json;
  const definition = recorded.tools[0].function;
  const client = new ChatCompletionsClient(replay.endpoint, new AzureKeyCredential("Sanitized"));
  const result = await runTools(client, {
    messages: [
      new SystemMessage(recorded.messages[0].content),
      new UserMessage(recorded.messages[1].content),
    ],
    tools: [{ ...definition, execute: () => "62" }],
  });
  replay.verify();
  assert.equal(result.rounds, 2);
  const all = spans.spans();
  const agent = all.find((span) => span.name === "invoke_agent")!;
  assert.ok(agent, all.map((span) => span.name).join(", "));
  assert.equal(parentOf(agent), undefined);
  assert.equal(agent.attributes["gen_ai.provider.name"], "azure.ai.inference");
  const usage = entries.map((entry) => entry.ResponseBody.usage as Json);
  assert.equal(
    agent.attributes["gen_ai.usage.input_tokens"],
    usage[0].prompt_tokens + usage[1].prompt_tokens,
  );
  assert.equal(
    agent.attributes["gen_ai.usage.output_tokens"],
    usage[0].completion_tokens + usage[1].completion_tokens,
  );
  const children = all.filter((span) => parentOf(span) === agent.spanContext().spanId);
  assert.deepEqual(children.map((span) => span.name).sort(), [
    "chat",
    "chat",
    "execute_tool get_max_temperature",
  ]);
  assert.ok(all.every((span) => span.spanContext().traceId === agent.spanContext().traceId));
  const tool = children.find((span) => span.name.startsWith("execute_tool"))!;
  const callId = entries[0].ResponseBody.choices[0].message.tool_calls[0].id;
  assert.equal(tool.attributes["gen_ai.tool.call.id"], callId);
});

test("#13 OT20 with content recording on, execute_tool spans carry the arguments and the result; a failed run records error.type", async (t) => {
  const spans = recordSpans();
  enableTracing({ tracerProvider: spans.provider, recordContent: true });
  const server = await useLoopbackServer(
    t,
    streamReply({ toolCalls: [toolCall("call_1", "get_weather", { city: "Paris" })] }),
    { status: 500, headers: { "content-type": "application/json" }, body: '{"error":{"message":"down"}}' },
  );
  const client = new ChatCompletionsClient(server.url, null, { apiVersion: null, maxRetries: 0 });
  const run = await runTools(client, { messages, tools: [weather], stream: true });
  await assert.rejects(run.result());
  const all = spans.spans();
  const tool = all.find((span) => span.name === "execute_tool get_weather")!;
  assert.equal(tool.attributes["gen_ai.tool.call.arguments"], '{"city":"Paris"}');
  assert.equal(tool.attributes["gen_ai.tool.call.result"], '{"temp":21}');
  const agent = all.find((span) => span.name === "invoke_agent")!;
  assert.equal(agent.attributes["error.type"], "500");
  assert.equal(agent.status.code, SpanStatusCode.ERROR);
  assert.equal(all.filter((span) => parentOf(span) === agent.spanContext().spanId).length, 3);
});

test("#13 OT21 a run whose client is not traced makes no span at all", async (t) => {
  const spans = recordSpans();
  enableTracing({ tracerProvider: spans.provider, clients: "opted-in" });
  const server = await useLoopbackServer(
    t,
    reply({ toolCalls: [toolCall("c1", "get_weather", {})] }),
    reply({ content: "x" }),
  );
  const client = new ChatCompletionsClient(server.url, null, { apiVersion: null, maxRetries: 0 });
  await runTools(client, { messages, tools: [weather] });
  assert.deepEqual(spans.spans(), []);
});

test("#13 OT19 against the local server with the tiny model: the run's chat and tool spans share its trace", async () => {
  const { startTinyServer } = await import("../../support/tiny-server.js");
  const server = await startTinyServer();
  try {
    const spans = recordSpans();
    enableTracing({ tracerProvider: spans.provider });
    const client = new ChatCompletionsClient("http://local", null, { fetch: server.fetch, apiVersion: null });
    const result = await runTools(client, {
      messages: [new UserMessage("What is the weather in Paris?")],
      seed: 3,
      temperature: 0.7,
      maxTokens: 60,
      maxRounds: 2,
      // The tool of TL11, with which this prompt and seed are known to call it.
      tools: [
        {
          name: "get_weather",
          description: "Weather in a city",
          parameters: z.object({ city: z.string().max(20), unit: z.enum(["C", "F"]) }),
          execute: () => "21C",
        },
      ],
    });
    const all = spans.spans();
    const agent = all.find((span) => span.name === "invoke_agent")!;
    assert.ok(agent);
    const children = all.filter((span) => parentOf(span) === agent.spanContext().spanId);
    assert.equal(children.filter((span) => span.name.startsWith("chat")).length, result.rounds);
    assert.equal(
      children.filter((span) => span.name === "execute_tool get_weather").length,
      result.toolResults.length,
    );
    assert.ok(result.toolResults.length >= 1, "the tiny model called the tool");
  } finally {
    await server.close();
  }
});

test("#13 an output message without a finish reason records none, never an empty string", async () => {
  const { outputMessages } = await import("../../../src/helpers/tracing/content.js");
  const [message] = outputMessages({
    choices: [{ message: { role: "assistant", content: "cut" }, finish_reason: null }],
  });
  assert.equal("finish_reason" in message, false);
  const [failed] = outputMessages({ choices: [{ message: { role: "assistant", content: "x" } }] }, true);
  assert.equal(failed.finish_reason, "error");
});
