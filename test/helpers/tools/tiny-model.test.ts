// TL11: the tool loop against the local server with the real llama engine and the tiny model, which
// calls tools (tool-call bias 3). Its words are gibberish; these tests check the plumbing: calls
// come back, arguments validate and reach the tool, results go back, the loop ends by the rules.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as z from "zod";
import { ChatCompletionsClient, ToolMessage, UserMessage } from "../../../src/index.js";
import type { InferenceServer } from "../../../src/server/index.js";
import { defineTool, runTools } from "../../../src/helpers/tools/index.js";
import { startTinyServer } from "../../support/tiny-server.js";

let server: InferenceServer;
let client: ChatCompletionsClient;
before(async () => {
  server = await startTinyServer();
  client = new ChatCompletionsClient("http://local", null, { fetch: server.fetch, apiVersion: null });
});
after(() => server.close());

function weatherTool(calls: unknown[]) {
  return defineTool({
    name: "get_weather",
    description: "Weather in a city",
    parameters: z.object({ city: z.string().max(20), unit: z.enum(["C", "F"]) }),
    execute: (args) => {
      calls.push(args);
      return { temperature: 21, unit: args.unit };
    },
  });
}
// With the tiny model's defaults, this prompt and seed are known to call the tool (see test/server).
const request = {
  messages: [new UserMessage("What is the weather in Paris?")],
  seed: 3,
  temperature: 0.7,
  maxTokens: 60,
  maxRounds: 3,
};

test("TL11 the tiny model calls the tool; validated arguments reach it; its result goes back; the loop ends by the rules", async () => {
  const calls: { city: string; unit: "C" | "F" }[] = [];
  const result = await runTools(client, { ...request, tools: [weatherTool(calls)] });
  assert.ok(calls.length >= 1, "the tool ran");
  for (const args of calls) {
    assert.equal(typeof args.city, "string");
    assert.ok(["C", "F"].includes(args.unit));
  }
  assert.equal(result.completions[0].choices[0].finishReason, "tool_calls");
  assert.ok(result.toolResults.every((r) => r.outcome === "success"));
  assert.equal(result.messages.filter((m) => m instanceof ToolMessage).length, result.toolResults.length);
  const last = result.finalCompletions.choices[0];
  if (result.maxRoundsReached) {
    assert.equal(result.rounds, 3);
    assert.equal(last.finishReason, "tool_calls");
  } else {
    assert.notEqual(last.finishReason, "tool_calls");
    assert.equal(result.content, last.message.content);
  }
});

test("TL11 streamed, the same seed gives the same calls and the same end", async () => {
  const plainCalls: unknown[] = [];
  const streamedCalls: unknown[] = [];
  const plain = await runTools(client, { ...request, tools: [weatherTool(plainCalls)] });
  const run = await runTools(client, {
    ...request,
    tools: [weatherTool(streamedCalls)],
    stream: true,
    includeUsage: true,
  });
  let updates = 0;
  for await (const event of run) if (event.type === "update") updates++;
  const streamed = await run.result();
  assert.ok(updates > 0);
  assert.deepEqual(streamedCalls, plainCalls);
  assert.equal(streamed.rounds, plain.rounds);
  assert.equal(streamed.content, plain.content);
  assert.equal(streamed.maxRoundsReached, plain.maxRoundsReached);
});

test("#13 TL16 TL19 TL20 with the tiny model: usage summed over the rounds, approvals asked, a tool without execute left pending", async () => {
  const calls: unknown[] = [];
  const asked: string[] = [];
  const approved = await runTools(client, {
    ...request,
    tools: [{ ...weatherTool(calls), needsApproval: true }],
    approve: ({ name }) => {
      asked.push(name);
      return asked.length === 1;
    },
  });
  assert.ok(asked.length >= 1 && asked.every((name) => name === "get_weather"));
  assert.equal(calls.length, 1, "only the approved call ran");
  const expected = approved.completions.reduce((sum, answer) => sum + answer.usage!.totalTokens, 0);
  assert.equal(approved.usage?.totalTokens, expected);
  const { execute: _run, ...withoutExecute } = weatherTool([]);
  const pending = await runTools(client, { ...request, tools: [withoutExecute] });
  assert.equal(pending.stoppedBy, "pendingToolCalls");
  assert.equal(pending.rounds, 1);
  assert.equal(pending.pendingToolCalls[0].name, "get_weather");
  assert.equal(typeof (pending.pendingToolCalls[0].arguments as { city: string }).city, "string");
});
