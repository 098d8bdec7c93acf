// runTools() over real loopback HTTP with a scripted model (byte-exact answers), and the recorded
// Mistral tool round trip replayed. TL ids: see docs/tool-loop.md.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { setImmediate as tick } from "node:timers/promises";
import * as z from "zod";
import {
  AbortError,
  AssistantMessage,
  AzureKeyCredential,
  ChatCompletions,
  ChatCompletionsClient,
  SystemMessage,
  ToolMessage,
  UserMessage,
} from "../../../src/index.js";
import { type RunnableTool, defineTool, runTools } from "../../../src/helpers/tools/index.js";
import { type Handler, type ReplyPlan, useLoopbackServer } from "../../support/loopback-server.js";
import { startReplay } from "../../support/replay.js";
import { reply, toolCall } from "../../support/chat-replies.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const messages = [new UserMessage("What is the weather in Paris, and the time?")];

const weather = defineTool({
  name: "get_weather",
  description: "The weather in a city",
  parameters: z.object({ city: z.string(), unit: z.enum(["C", "F"]).default("C") }),
  execute: ({ city, unit }) => ({ city, temperature: 21, unit }),
});
const time = defineTool<{ zone?: string }>({
  name: "get_time",
  description: "The time",
  parameters: { type: "object", properties: { zone: { type: "string" } }, additionalProperties: false },
  execute: () => "12:00",
});

async function clientFor(t: Parameters<typeof useLoopbackServer>[0], ...plans: (ReplyPlan | Handler)[]) {
  const server = await useLoopbackServer(t, ...plans);
  const client = new ChatCompletionsClient(server.url, null, { apiVersion: null, maxRetries: 0 });
  const bodies = () => server.requests.map((request) => request.json() as Json);
  return { server, client, bodies };
}

describe("TL1 the loop", () => {
  test("TL1 several rounds: each request carries the conversation so far, the result holds all of it", async (t) => {
    const { client, bodies } = await clientFor(
      t,
      reply({ toolCalls: [toolCall("c1", "get_weather", { city: "Paris" })] }),
      reply({ content: "", toolCalls: [toolCall("c2", "get_time", {})] }),
      reply({ content: "21°C at noon." }),
    );
    const result = await runTools(client, { messages, tools: [weather, time] });
    const sent = bodies();
    assert.equal(sent.length, 3);
    const definitions = sent[0].tools;
    assert.deepEqual(definitions, [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "The weather in a city",
          parameters: {
            type: "object",
            properties: {
              city: { type: "string" },
              unit: { type: "string", enum: ["C", "F"], default: "C" },
            },
            // #13: the input side, what the model writes: a key with a default may be left out.
            required: ["city"],
          },
        },
      },
      {
        type: "function",
        function: {
          name: "get_time",
          description: "The time",
          parameters: {
            type: "object",
            properties: { zone: { type: "string" } },
            additionalProperties: false,
          },
        },
      },
    ]);
    assert.ok(sent.every((body) => JSON.stringify(body.tools) === JSON.stringify(definitions)));
    assert.deepEqual(sent[1].messages.slice(1), [
      { role: "assistant", tool_calls: [toolCall("c1", "get_weather", { city: "Paris" })] },
      { role: "tool", content: '{"city":"Paris","temperature":21,"unit":"C"}', tool_call_id: "c1" },
    ]);
    assert.deepEqual(sent[2].messages.slice(3), [
      { role: "assistant", tool_calls: [toolCall("c2", "get_time", {})] },
      { role: "tool", content: "12:00", tool_call_id: "c2" },
    ]);
    assert.equal(result.rounds, 3);
    assert.equal(result.maxRoundsReached, false);
    assert.equal(result.content, "21°C at noon.");
    assert.equal(result.completions.length, 3);
    assert.ok(result.completions.every((c) => c instanceof ChatCompletions));
    assert.equal(result.finalCompletions, result.completions[2]);
    assert.equal(result.messages.length, 6);
    assert.equal(result.messages[0], messages[0], "the messages given are kept as given");
    assert.ok(result.messages[1] instanceof AssistantMessage);
    assert.ok(result.messages[2] instanceof ToolMessage);
    assert.deepEqual((result.messages[5] as AssistantMessage).asDict(), {
      role: "assistant",
      content: "21°C at noon.",
    });
    assert.deepEqual(
      result.toolResults.map((r) => [r.round, r.name, r.outcome, r.output]),
      [
        [1, "get_weather", "success", '{"city":"Paris","temperature":21,"unit":"C"}'],
        [2, "get_time", "success", "12:00"],
      ],
    );
    assert.equal(messages.length, 1, "the caller's array is not changed");
  });

  test("TL1 an answer without tool calls ends the run after one request", async (t) => {
    const { server, client } = await clientFor(t, reply({ content: "No tools needed." }));
    const result = await runTools(client, { messages, tools: [weather] });
    assert.equal(server.requests.length, 1);
    assert.equal(result.rounds, 1);
    assert.equal(result.content, "No tools needed.");
    assert.deepEqual(result.toolResults, []);
  });

  test("TL1 the result's messages can be sent again to go on with the conversation", async (t) => {
    const { client, bodies } = await clientFor(
      t,
      reply({ toolCalls: [toolCall("c1", "get_time", {})] }),
      reply({ content: "Noon." }),
      reply({ content: "You're welcome." }),
    );
    const first = await runTools(client, { messages, tools: [time] });
    await runTools(client, { messages: [...first.messages, new UserMessage("Thanks")], tools: [time] });
    assert.deepEqual(
      bodies()[2].messages.map((m: Json) => m.role),
      ["user", "assistant", "tool", "assistant", "user"],
    );
  });

  test("TL13 Zod parameters: execute gets the schema's output (defaults applied), typed", async (t) => {
    const seen: unknown[] = [];
    const tool = defineTool({
      name: "book",
      parameters: z.object({ nights: z.number().int(), breakfast: z.boolean().default(false) }),
      execute: (args) => {
        const nights: number = args.nights;
        seen.push(args);
        return nights * 100;
      },
    });
    const { bodies, client } = await clientFor(
      t,
      reply({ toolCalls: [toolCall("c1", "book", { nights: 2 })] }),
      reply({ content: "Booked." }),
    );
    await runTools(client, { messages, tools: [tool] });
    assert.deepEqual(seen, [{ nights: 2, breakfast: false }]);
    assert.equal(bodies()[1].messages.at(-1).content, "200");
  });
});

describe("TL2 a recorded tool round trip", () => {
  test("TL2 the Mistral recording: runTools sends exactly the recorded requests and returns the recorded answer", async (t) => {
    const replay = await startReplay(t, "test_chat_completions_with_tool");
    const recorded = replay.recording.entries[0].RequestBody as Json;
    const definition = recorded.tools[0].function;
    const calls: unknown[] = [];
    const result = await runTools(
      new ChatCompletionsClient(replay.endpoint, new AzureKeyCredential("Sanitized")),
      {
        messages: [
          new SystemMessage(recorded.messages[0].content),
          new UserMessage(recorded.messages[1].content),
        ],
        tools: [
          {
            name: definition.name,
            description: definition.description,
            parameters: definition.parameters,
            execute: (args) => {
              calls.push(args);
              return "62";
            },
          },
        ],
      },
    );
    replay.verify();
    assert.deepEqual(calls, [{ city: "Seattle", days: "2" }]);
    assert.equal(
      result.content,
      "The maximum temperature in Seattle two days from now is expected to be 62°F.",
    );
    assert.equal(result.rounds, 2);
  });
});

describe("TL3 maxRounds", () => {
  const alwaysCalls: Handler = (request, write) => {
    const n = (request.json() as Json).messages.length;
    return write(reply({ toolCalls: [toolCall(`c${n}`, "get_time", {})] }));
  };

  test("TL3 a model that keeps calling stops after maxRounds requests; the last round's calls are run", async (t) => {
    const { server, client } = await clientFor(t, alwaysCalls);
    let runs = 0;
    const result = await runTools(client, {
      messages,
      maxRounds: 3,
      tools: [{ ...time, execute: () => `run ${++runs}` }],
    });
    assert.equal(server.requests.length, 3);
    assert.equal(result.maxRoundsReached, true);
    assert.equal(result.rounds, 3);
    assert.equal(runs, 3);
    assert.equal(result.content, null);
    assert.ok(result.messages.at(-1) instanceof ToolMessage, "the conversation ends with the last results");
    assert.equal(result.messages.length, 1 + 3 * 2);
  });

  test("TL3 the default is 10 requests", async (t) => {
    const { server, client } = await clientFor(t, alwaysCalls);
    const result = await runTools(client, { messages, tools: [time] });
    assert.equal(server.requests.length, 10);
    assert.equal(result.maxRoundsReached, true);
  });

  test("TL3 an answer in the last allowed round is not maxRoundsReached", async (t) => {
    const { client } = await clientFor(
      t,
      reply({ toolCalls: [toolCall("c1", "get_time", {})] }),
      reply({ content: "ok" }),
    );
    const result = await runTools(client, { messages, tools: [time], maxRounds: 2 });
    assert.equal(result.maxRoundsReached, false);
    assert.equal(result.content, "ok");
  });
});

describe("TL4 parallel calls", () => {
  test("TL4 the calls of one answer run concurrently, and their results go back in call order", async (t) => {
    const { client, bodies } = await clientFor(
      t,
      reply({
        toolCalls: [
          toolCall("c1", "slow", { id: 1, ticks: 30 }),
          toolCall("c2", "slow", { id: 2, ticks: 1 }),
          toolCall("c3", "slow", { id: 3, ticks: 10 }),
        ],
      }),
      reply({ content: "done" }),
    );
    let running = 0;
    let maxRunning = 0;
    const finished: number[] = [];
    const slow: RunnableTool<{ id: number; ticks: number }> = {
      name: "slow",
      parameters: { type: "object", properties: { id: { type: "integer" }, ticks: { type: "integer" } } },
      async execute({ id, ticks }) {
        running++;
        maxRunning = Math.max(maxRunning, running);
        for (let i = 0; i < ticks; i++) await tick();
        running--;
        finished.push(id);
        return `result ${id}`;
      },
    };
    const result = await runTools(client, { messages, tools: [slow] });
    // Every call started before any finished: all three were running at once.
    assert.equal(maxRunning, 3);
    assert.deepEqual(finished, [2, 3, 1], "they finished out of order");
    assert.deepEqual(
      bodies()[1]
        .messages.slice(2)
        .map((m: Json) => [m.tool_call_id, m.content]),
      [
        ["c1", "result 1"],
        ["c2", "result 2"],
        ["c3", "result 3"],
      ],
    );
    assert.deepEqual(
      result.toolResults.map((r) => r.toolCall.id),
      ["c1", "c2", "c3"],
    );
  });
});

describe("TL5 TL6 failures go back to the model", () => {
  test("TL5 arguments that are not JSON, or fail the schema (Zod or JSON Schema), are reported to the model; the tool does not run", async (t) => {
    const { client, bodies } = await clientFor(
      t,
      reply({
        toolCalls: [
          toolCall("c1", "get_weather", "{city: Paris"),
          toolCall("c2", "get_weather", { city: 42 }),
          toolCall("c3", "get_time", { zone: 1, extra: true }),
        ],
      }),
      reply({ content: "Sorry." }),
    );
    let ran = 0;
    const result = await runTools(client, {
      messages,
      tools: [
        { ...weather, execute: () => void ran++ },
        { ...time, execute: () => void ran++ },
      ],
    });
    assert.equal(ran, 0);
    const [notJson, zodInvalid, jsonInvalid] = bodies()[1]
      .messages.slice(2)
      .map((m: Json) => m.content as string);
    assert.match(
      notJson,
      /^Error: the arguments of get_weather are not valid JSON \(.+\)\. Call get_weather again/,
    );
    assert.match(
      zodInvalid,
      /^Error: the arguments of get_weather do not match its parameters:\n- city: .+\nCall get_weather again/,
    );
    assert.match(jsonInvalid, /^Error: the arguments of get_time do not match its parameters:\n- zone: .+/);
    assert.match(jsonInvalid, /extra/);
    assert.deepEqual(
      result.toolResults.map((r) => r.outcome),
      ["invalid-arguments", "invalid-arguments", "invalid-arguments"],
    );
    const first = result.toolResults[0];
    assert.ok(first.outcome === "invalid-arguments" && first.cause instanceof SyntaxError);
    const second = result.toolResults[1];
    assert.ok(second.outcome === "invalid-arguments" && second.issues[0].path[0] === "city");
    assert.equal(result.content, "Sorry.");
  });

  test("TL6 a tool that throws, one that rejects, an unknown tool and an unwritable result are reported; the run goes on", async (t) => {
    const { client, bodies } = await clientFor(
      t,
      reply({
        toolCalls: [
          toolCall("c1", "throws", {}),
          toolCall("c2", "rejects", {}),
          toolCall("c3", "nope", {}),
          toolCall("c4", "bigint", {}),
        ],
      }),
      reply({ content: "Recovered." }),
    );
    const boom = new RangeError("out of range");
    const result = await runTools(client, {
      messages,
      tools: [
        {
          name: "throws",
          execute: () => {
            throw boom;
          },
        },
        { name: "rejects", execute: async () => Promise.reject(new Error("service down")) },
        { name: "bigint", execute: () => ({ n: 1n }) },
      ],
    });
    assert.deepEqual(
      bodies()[1]
        .messages.slice(2)
        .map((m: Json) => m.content),
      [
        "Error: throws failed: RangeError: out of range",
        "Error: rejects failed: service down",
        'Error: there is no tool named "nope". The tools are: throws, rejects, bigint.',
        "Error: the result of bigint could not be written as JSON (TypeError: Do not know how to serialize a BigInt).",
      ],
    );
    assert.deepEqual(
      result.toolResults.map((r) => r.outcome),
      ["tool-error", "tool-error", "unknown-tool", "tool-error"],
    );
    const thrown = result.toolResults[0];
    assert.ok(thrown.outcome === "tool-error" && thrown.error === boom);
    assert.equal(result.content, "Recovered.");
  });

  test("TL6 a tool without parameters gets {} for empty arguments, and undefined results are sent as null", async (t) => {
    const { client, bodies } = await clientFor(
      t,
      reply({ toolCalls: [toolCall("c1", "ping", "")] }),
      reply({ content: "ok" }),
    );
    const seen: unknown[] = [];
    await runTools(client, { messages, tools: [{ name: "ping", execute: (args) => void seen.push(args) }] });
    assert.deepEqual(seen, [{}]);
    assert.equal(bodies()[1].messages.at(-1).content, "null");
    assert.equal("parameters" in bodies()[0].tools[0].function, false);
  });
});

describe("TL7 options pass through", () => {
  test("TL7 temperature, toolChoice, seed, parallelToolCalls, strict, extras and request options reach every request", async (t) => {
    const { server, client, bodies } = await clientFor(
      t,
      reply({ toolCalls: [toolCall("c1", "get_time", {})] }),
      reply({ content: "ok" }),
    );
    const statuses: number[] = [];
    await runTools(client, {
      messages,
      tools: [
        {
          ...time,
          strict: true,
          // Strict mode's rules: every key required, no extra keys (checked before sending).
          parameters: {
            type: "object",
            properties: { zone: { type: "string" } },
            required: ["zone"],
            additionalProperties: false,
          },
        },
      ],
      temperature: 0.2,
      toolChoice: "auto",
      seed: 5,
      parallelToolCalls: false,
      maxTokens: 50,
      modelExtras: { top_k: 3 },
      headers: { "x-run": "tools" },
      onResponse: ({ status }) => statuses.push(status),
    });
    for (const [i, body] of bodies().entries()) {
      assert.equal(body.temperature, 0.2);
      assert.equal(body.tool_choice, "auto");
      assert.equal(body.seed, 5);
      assert.equal(body.parallel_tool_calls, false);
      assert.equal(body.max_tokens, 50);
      assert.equal(body.top_k, 3);
      assert.equal(body.tools[0].function.strict, true);
      assert.equal(server.requests[i].headers["x-run"], "tools");
    }
    assert.deepEqual(statuses, [200, 200]);
  });

  test("TL12 client.runTools() loads the helper on first use and runs the same loop", async (t) => {
    const { client } = await clientFor(
      t,
      reply({ toolCalls: [toolCall("c1", "get_time", {})] }),
      reply({ content: "Noon." }),
    );
    const result = await client.runTools({ messages, tools: [time] });
    assert.equal(result.content, "Noon.");
    assert.equal(result.toolResults[0].output, "12:00");
  });
});

describe("TL9 abort", () => {
  test("TL9 aborting while tools run: they get the signal, the run rejects with AbortError at once, no request follows", async (t) => {
    const { server, client } = await clientFor(
      t,
      reply({ toolCalls: [toolCall("c1", "waits", {}), toolCall("c2", "waits", {})] }),
      reply({ content: "never" }),
    );
    const controller = new AbortController();
    const reason = new Error("user cancelled");
    const seen: unknown[] = [];
    let started = 0;
    const waits: RunnableTool = {
      name: "waits",
      execute: (_args, { abortSignal: signal }) =>
        new Promise((resolve) => {
          const index = ++started;
          // One tool honours the signal late, the other never settles: the run must not wait for either.
          signal.addEventListener("abort", () => seen.push(signal.reason));
          if (index === 1) signal.addEventListener("abort", () => setTimeout(() => resolve("late"), 50));
          if (index === 2) controller.abort(reason);
        }),
    };
    const error = await runTools(client, { messages, tools: [waits], abortSignal: controller.signal }).catch(
      (e: unknown) => e,
    );
    assert.ok(error instanceof AbortError, String(error));
    assert.equal(error.cause, reason);
    assert.deepEqual(seen, [reason, reason], "both running tools saw the abort and its reason");
    assert.equal(server.requests.length, 1);
  });

  test("TL9 aborting while the model is answering aborts the request", async (t) => {
    const controller = new AbortController();
    const { server, client } = await clientFor(t, () => {
      controller.abort();
    });
    await assert.rejects(
      runTools(client, { messages, tools: [time], abortSignal: controller.signal }),
      AbortError,
    );
    assert.equal(server.requests.length, 1);
  });

  test("TL9 an already aborted signal rejects without a request", async (t) => {
    const { server, client } = await clientFor(t, reply({ content: "x" }));
    await assert.rejects(
      runTools(client, { messages, tools: [time], abortSignal: AbortSignal.abort() }),
      AbortError,
    );
    assert.equal(server.requests.length, 0);
  });
});

describe("TL10 caller mistakes reject before any request", () => {
  test("TL10 no tools, bad or duplicate names, a bad execute, bad maxRounds, a raw body, no messages", async (t) => {
    const { server, client } = await clientFor(t, reply({ content: "x" }));
    const bad: [object, string, RegExp][] = [
      [{ messages, tools: [] }, "TypeError", /at least one tool/],
      [{ messages, tools: [{ ...time, name: "get time" }] }, "TypeError", /tools\[0\]\.name must be/],
      [{ messages, tools: [time, time] }, "TypeError", /two tools are named "get_time"/],
      [
        { messages, tools: [{ name: "x", execute: 1 }] },
        "TypeError",
        /tools\[0\]\.execute must be a function/,
      ],
      [
        { messages, tools: [{ ...time, needsApproval: true }] },
        "TypeError",
        /has needsApproval, so the run needs approve/,
      ],
      [
        { messages, tools: [{ ...time, needsApproval: "yes" }], approve: () => true },
        "TypeError",
        /needsApproval must be/,
      ],
      [{ messages, tools: [time], stopWhen: 3 }, "TypeError", /stopWhen must be a function/],
      [
        { messages, tools: [{ ...time, parameters: "object" }] },
        "TypeError",
        /tools\[0\]\.parameters must be/,
      ],
      [{ messages, tools: [time], maxRounds: 0 }, "RangeError", /maxRounds/],
      [{ messages, tools: [time], maxRounds: 1.5 }, "RangeError", /maxRounds/],
      [{ messages, tools: [time], body: {} }, "TypeError", /"body" cannot be set/],
      [{ messages: [], tools: [time] }, "TypeError", /messages must be/],
      [{ messages, tools: [time], tool_choice: "auto" }, "TypeError", /unknown option "tool_choice"/],
    ];
    for (const [options, name, message] of bad) {
      await assert.rejects(runTools(client, options as never), { name, message });
    }
    assert.equal(server.requests.length, 0);
  });
});
