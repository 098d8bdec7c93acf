// Issue 13, the tool loop: control (stopWhen, prepareRound, onRoundFinish), summed usage,
// sequential calls, forced toolChoice for round 1 only, the parsed final answer, approvals, calls
// left to the caller, tool events as they happen, and failures that carry the run. TL ids: see
// docs/tool-loop.md.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as z from "zod";
import { ChatCompletionsClient, HttpResponseError, ToolMessage, UserMessage } from "../../../src/index.js";
import {
  type RunnableTool,
  type ToolRunEvent,
  defineTool,
  runTools,
} from "../../../src/helpers/tools/index.js";
import { type Handler, type ReplyPlan, useLoopbackServer } from "../../support/loopback-server.js";
import { reply, streamReply, toolCall } from "../../support/chat-replies.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const messages = [new UserMessage("Plan my day")];
const echo = (name: string, output = `${name} done`): RunnableTool => ({ name, execute: () => output });
const calling = (...names: string[]) =>
  reply({ toolCalls: names.map((name, i) => toolCall(`c${i}-${name}`, name, {})) });

async function clientFor(t: Parameters<typeof useLoopbackServer>[0], ...plans: (ReplyPlan | Handler)[]) {
  const server = await useLoopbackServer(t, ...plans);
  const client = new ChatCompletionsClient(server.url, null, { apiVersion: null, maxRetries: 0 });
  return { server, client, bodies: () => server.requests.map((request) => request.json() as Json) };
}

test("#13 TL14 stopWhen ends the run after the round it says, with the conversation ready to go on", async (t) => {
  const { server, client } = await clientFor(
    t,
    calling("a"),
    calling("b"),
    calling("a"),
    reply({ content: "x" }),
  );
  const seen: number[] = [];
  const result = await runTools(client, {
    messages,
    tools: [echo("a"), echo("b")],
    stopWhen: ({ round, toolResults, usage }) => {
      seen.push(round);
      assert.equal(usage?.totalTokens, 15 * round);
      return toolResults.some((r) => r.name === "b");
    },
  });
  assert.deepEqual(seen, [1, 2]);
  assert.equal(result.stoppedBy, "stopWhen");
  assert.equal(result.rounds, 2);
  assert.equal(server.requests.length, 2);
  assert.ok(result.messages.at(-1) instanceof ToolMessage);
});

test("#13 TL15 prepareRound changes one request's tools, toolChoice, messages and options; onRoundFinish reports each round", async (t) => {
  const { bodies, client } = await clientFor(t, calling("a"), calling("b"), reply({ content: "done" }));
  const b = echo("b");
  const finished: Json[] = [];
  const result = await runTools(client, {
    messages,
    tools: [echo("a")],
    temperature: 0.1,
    prepareRound: ({ round, messages: sofar, tools, toolChoice }) => {
      assert.equal(tools.length, 1);
      assert.equal(toolChoice, undefined);
      if (round === 2)
        return { tools: [echo("a"), b], toolChoice: "required", options: { temperature: 0.9 } };
      if (round === 3) return { messages: [sofar[0], ...sofar.slice(-2)] };
      return undefined;
    },
    onRoundFinish: ({ round, toolResults, usage, message }) =>
      void finished.push({
        round,
        names: toolResults.map((r) => r.name),
        tokens: usage?.totalTokens,
        role: message.role,
      }),
  });
  const sent = bodies();
  assert.deepEqual(
    sent.map((body) => body.tools.map((tool: Json) => tool.function.name)),
    [["a"], ["a", "b"], ["a"]],
  );
  assert.deepEqual(
    sent.map((body) => [body.tool_choice, body.temperature]),
    [
      [undefined, 0.1],
      ["required", 0.9],
      [undefined, 0.1],
    ],
  );
  assert.equal(sent[2].messages.length, 3, "round 3 sent the trimmed messages");
  assert.equal(result.messages.length, 6, "the conversation itself stays whole");
  assert.deepEqual(finished, [
    { round: 1, names: ["a"], tokens: 15, role: "assistant" },
    { round: 2, names: ["b"], tokens: 15, role: "assistant" },
    { round: 3, names: [], tokens: 15, role: "assistant" },
  ]);
  assert.equal(result.toolResults[1].output, "b done", "a tool given by prepareRound runs");
});

test("#13 TL16 usage is summed over every request; undefined when an answer came without it", async (t) => {
  const { client } = await clientFor(t, calling("a"), calling("a"), reply({ content: "x" }));
  const result = await runTools(client, { messages, tools: [echo("a")] });
  assert.deepEqual(
    [result.usage?.promptTokens, result.usage?.completionTokens, result.usage?.totalTokens],
    [30, 15, 45],
  );
  const noUsage: ReplyPlan = {
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      id: "x",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
    }),
  };
  const other = await clientFor(t, calling("a"), noUsage);
  assert.equal((await runTools(other.client, { messages, tools: [echo("a")] })).usage, undefined);
});

test("#13 TL16 a streamed run asks for usage (includeUsage: true) on every endpoint, unless told not to", async (t) => {
  const streamedCall = (name: string) => streamReply({ toolCalls: [toolCall(`c-${name}`, name, {})] });
  const plans = () => [streamedCall("a"), streamReply({ content: "done" })];
  // A Model Inference endpoint (the client's default kind), where the client does not ask by itself.
  const server = await useLoopbackServer(t, ...plans(), ...plans());
  const client = new ChatCompletionsClient(server.url, null, { maxRetries: 0 });
  const run = await runTools(client, { messages, tools: [echo("a")], stream: true });
  await run.result();
  for (const request of server.requests) {
    assert.deepEqual((request.json() as Json).stream_options, { include_usage: true });
    assert.equal(request.headers["extra-parameters"], "pass-through", "the key is outside that schema");
  }
  const quiet = await runTools(client, { messages, tools: [echo("a")], stream: true, includeUsage: false });
  await quiet.result();
  const [, , third, fourth] = server.requests;
  for (const request of [third, fourth]) {
    assert.equal((request.json() as Json).stream_options, undefined);
    assert.equal(request.headers["extra-parameters"], undefined);
  }
  // A plain run never sends stream_options.
  const plain = await clientFor(t, calling("a"), reply({ content: "x" }));
  await runTools(plain.client, { messages, tools: [echo("a")] });
  assert.ok(plain.bodies().every((body) => !("stream_options" in body)));
});

test("#13 TL17 parallelToolCalls: false runs the calls one after another; a forcing toolChoice holds for round 1 only", async (t) => {
  const { bodies, client } = await clientFor(t, calling("slow", "fast"), reply({ content: "x" }));
  const order: string[] = [];
  const slow: RunnableTool = {
    name: "slow",
    execute: async () => {
      order.push("slow start");
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push("slow end");
    },
  };
  const fast: RunnableTool = { name: "fast", execute: () => void order.push("fast") };
  await runTools(client, {
    messages,
    tools: [slow, fast],
    parallelToolCalls: false,
    toolChoice: { type: "function", function: { name: "slow" } },
  });
  assert.deepEqual(order, ["slow start", "slow end", "fast"]);
  assert.ok(
    bodies().every((body) => body.parallel_tool_calls === false),
    "parallel_tool_calls: false is sent",
  );
  assert.deepEqual(
    bodies().map((body) => body.tool_choice),
    [{ type: "function", function: { name: "slow" } }, "auto"],
  );
  const required = await clientFor(t, calling("fast"), reply({ content: "x" }));
  await runTools(required.client, { messages, tools: [fast], toolChoice: "required" });
  assert.deepEqual(
    required.bodies().map((body) => body.tool_choice),
    ["required", "auto"],
  );
  const none = await clientFor(t, reply({ content: "x" }));
  await runTools(none.client, { messages, tools: [fast], toolChoice: "none" });
  assert.equal(none.bodies()[0].tool_choice, "none");
});

test("#13 TL18 with a structured responseFormat the final answer is parsed (result.parsed), validated as parse() does", async (t) => {
  const Answer = z.object({ summary: z.string(), count: z.number().default(1) });
  const { client, bodies } = await clientFor(t, calling("a"), reply({ content: '{"summary":"ok"}' }));
  const result = await runTools(client, {
    messages,
    tools: [echo("a")],
    responseFormat: { name: "answer", schema: Answer },
  });
  assert.deepEqual(result.parsed, { summary: "ok", count: 1 });
  assert.equal(bodies()[0].response_format.type, "json_schema");
  const plain = await clientFor(t, reply({ content: "text" }));
  assert.equal((await runTools(plain.client, { messages, tools: [echo("a")] })).parsed, undefined);
  const bad = await clientFor(t, reply({ content: '{"summary":3}' }));
  const error = await runTools(bad.client, { messages, tools: [echo("a")], responseFormat: Answer }).catch(
    (e: unknown) => e,
  );
  assert.equal((error as Error).name, "StructuredOutputSchemaError");
  assert.equal((error as { run: { completions: unknown[] } }).run.completions.length, 1);
});

test("#13 TL19 needsApproval: a tool runs only when approve(call) resolves true; a refusal goes back to the model", async (t) => {
  const { client, bodies } = await clientFor(
    t,
    reply({
      toolCalls: [
        toolCall("c1", "pay", { amount: 5 }),
        toolCall("c2", "pay", { amount: 500 }),
        toolCall("c3", "look", {}),
      ],
    }),
    reply({ content: "ok" }),
  );
  const paid: number[] = [];
  const asked: unknown[] = [];
  const pay = defineTool({
    name: "pay",
    parameters: z.object({ amount: z.number() }),
    needsApproval: ({ amount }) => amount > 100,
    execute: ({ amount }) => void paid.push(amount),
  });
  const look: RunnableTool = { name: "look", needsApproval: true, execute: () => "seen" };
  const result = await runTools(client, {
    messages,
    tools: [pay, look],
    approve: async ({ name, arguments: args, toolCall: call }) => {
      asked.push([name, args, call.id]);
      return name === "look";
    },
  });
  assert.deepEqual(paid, [5]);
  // Asked as each call reaches it (concurrently): compare as a set.
  assert.deepEqual(
    asked.sort((x, y) => String(x).localeCompare(String(y))),
    [
      ["look", {}, "c3"],
      ["pay", { amount: 500 }, "c2"],
    ],
  );
  assert.deepEqual(
    result.toolResults.map((r) => r.outcome),
    ["success", "refused", "success"],
  );
  assert.match(bodies()[1].messages[3].content, /this call of pay was not approved, so it did not run/);
});

test("#13 TL20 a tool without execute ends the run with pendingToolCalls; the messages go on once the caller adds the results", async (t) => {
  const { client, bodies } = await clientFor(
    t,
    reply({ toolCalls: [toolCall("c1", "ask_user", { question: "Which city?" }), toolCall("c2", "a", {})] }),
    reply({ content: "Paris it is" }),
  );
  const askUser = defineTool({ name: "ask_user", parameters: z.object({ question: z.string() }) });
  const first = await runTools(client, { messages, tools: [askUser, echo("a")] });
  assert.equal(first.stoppedBy, "pendingToolCalls");
  assert.deepEqual(
    first.pendingToolCalls.map((call) => [call.name, call.arguments, call.toolCall.id]),
    [["ask_user", { question: "Which city?" }, "c1"]],
  );
  assert.deepEqual(
    first.toolResults.map((r) => r.name),
    ["a"],
    "the other call ran",
  );
  const next = [...first.messages, new ToolMessage("Paris", { toolCallId: "c1" })];
  const second = await runTools(client, { messages: next, tools: [askUser, echo("a")] });
  assert.equal(second.content, "Paris it is");
  assert.deepEqual(
    bodies()[1]
      .messages.slice(-3)
      .map((m: Json) => m.role),
    ["assistant", "tool", "tool"],
  );
});

test("#13 TL21 a streamed run reports each tool call when it starts and each result as soon as it is ready", async (t) => {
  const { client } = await clientFor(
    t,
    streamReply({ toolCalls: [toolCall("c1", "slow", {}), toolCall("c2", "fast", {})] }),
    streamReply({ content: "x" }),
  );
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const slow: RunnableTool = {
    name: "slow",
    execute: async () => {
      await gate;
      return "slow";
    },
  };
  const fast: RunnableTool = { name: "fast", execute: () => "fast" };
  const run = await runTools(client, { messages, tools: [slow, fast], stream: true });
  const outline: string[] = [];
  for await (const event of run as AsyncIterable<ToolRunEvent>) {
    if (event.type === "tool-call") outline.push(`start ${event.name}`);
    if (event.type === "tool-result") {
      outline.push(`result ${event.result.name}`);
      if (event.result.name === "fast") release();
    }
  }
  assert.deepEqual(outline, ["start slow", "start fast", "result fast", "result slow"]);
  const result = await run.result();
  assert.deepEqual(
    result.toolResults.map((r) => r.name),
    ["slow", "fast"],
    "the conversation keeps call order",
  );
});

test("#13 TL22 a failed run aborts the tools still running and carries what it had done on error.run", async (t) => {
  const failing: ReplyPlan = {
    status: 500,
    headers: { "content-type": "application/json" },
    body: '{"error":{"message":"boom"}}',
  };
  const { client } = await clientFor(t, calling("a"), failing);
  const error = await runTools(client, { messages, tools: [echo("a")] }).catch((e: unknown) => e);
  assert.ok(error instanceof HttpResponseError);
  const run = (
    error as unknown as { run: { messages: unknown[]; completions: unknown[]; toolResults: unknown[] } }
  ).run;
  assert.equal(run.completions.length, 1);
  assert.equal(run.toolResults.length, 1);
  assert.equal(run.messages.length, 3);

  const signals: AbortSignal[] = [];
  const other = await clientFor(t, calling("hang", "gate"));
  const hang: RunnableTool = {
    name: "hang",
    execute: (_a, { abortSignal }) => {
      signals.push(abortSignal);
      return new Promise(() => {});
    },
  };
  const gate: RunnableTool = { name: "gate", needsApproval: true, execute: () => "x" };
  const denied = await runTools(other.client, {
    messages,
    tools: [hang, gate],
    approve: () => {
      throw new Error("approval service down");
    },
  }).catch((e: unknown) => e);
  assert.match((denied as Error).message, /approval service down/);
  assert.equal(signals.length, 1);
  assert.ok(signals[0].aborted, "the sibling tool got the abort");
  assert.equal((denied as unknown as { run: { completions: unknown[] } }).run.completions.length, 1);
});

test("#13 TL22 a streamed round that fails keeps its answer so far in partial (P5.10), beside run", async (t) => {
  const cut = streamReply({ content: "Half an answer" });
  const events = (cut.chunks as string[]).slice(0, -2); // no finish chunk, no [DONE]
  const failing: ReplyPlan = {
    headers: { "content-type": "text/event-stream" },
    chunks: [...events, 'event: error\ndata: {"error":{"code":"overloaded","message":"try later"}}\n\n'],
  };
  const { client } = await clientFor(t, streamReply({ toolCalls: [toolCall("c1", "a", {})] }), failing);
  const run = await runTools(client, { messages, tools: [echo("a")], stream: true });
  const error = await run.result().catch((e: unknown) => e);
  assert.ok(error instanceof HttpResponseError);
  assert.equal(error.partial?.choices[0].message.content, "Half an answer", "the failed round's text");
  const progress = (error as unknown as { run: { completions: unknown[]; toolResults: unknown[] } }).run;
  assert.equal(progress.completions.length, 1, "run holds the rounds that finished");
  assert.equal(progress.toolResults.length, 1);
});
