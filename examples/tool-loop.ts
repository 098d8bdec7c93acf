// The tool-calling loop: the model calls tools, the loop runs them (concurrently when the model
// asks for several at once) and sends back their results, until the model answers. Then the same
// run streamed, printing events as they come.
// Run: npm run build && node --import tsx examples/tool-loop.ts
// (against AZURE_AI_CHAT_ENDPOINT if set, else the local server with the tiny test model)
import * as z from "zod";
import { UserMessage } from "ai-inference";
import { defineTool, runTools } from "ai-inference/tools";
import { exampleClient } from "./support/example-client.js";

const { client, close } = await exampleClient();

const weather = defineTool({
  name: "get_weather",
  description: "The current weather in a city",
  parameters: z.object({ city: z.string().max(20), unit: z.enum(["C", "F"]) }),
  // args is { city: string; unit: "C" | "F" }, already validated; abortSignal aborts with the run.
  execute: async ({ city, unit }, { abortSignal }) => {
    abortSignal.throwIfAborted();
    return { city, temperature: unit === "C" ? 21 : 70, unit, sky: "clear" };
  },
});

const messages = [new UserMessage("What is the weather in Paris?")];
const result = await runTools(client, {
  messages,
  tools: [weather],
  maxRounds: 3,
  seed: 3,
  temperature: 0.7,
  maxTokens: 60,
});
for (const call of result.toolResults) {
  console.log(
    `round ${call.round}: ${call.name}(${call.toolCall.function.arguments}) → ${call.outcome}: ${call.output}`,
  );
}
console.log(`${result.rounds} requests; maxRoundsReached: ${result.maxRoundsReached}`);
console.log("answer:", result.content);
console.log("conversation:", result.messages.map((m) => m.role).join(" → "));

// Streamed: the same rules, with every update as it arrives.
const run = await client.runTools({
  messages,
  tools: [weather],
  maxRounds: 3,
  seed: 3,
  temperature: 0.7,
  maxTokens: 60,
  stream: true,
});
for await (const event of run) {
  if (event.type === "update") process.stdout.write(event.update.text);
  else if (event.type === "tool-result") console.log(`\n[${event.result.name} → ${event.result.output}]`);
}
console.log(`\nstreamed run: ${(await run.result()).rounds} requests`);

// Control (#13): approve each call of a sensitive tool, stop after the first round that ran a tool,
// and see the usage of the whole run.
const controlled = await runTools(client, {
  messages,
  tools: [{ ...weather, needsApproval: ({ city }: { city: string }) => city.length > 0 }],
  seed: 3,
  temperature: 0.7,
  maxTokens: 60,
  approve: async ({ name, arguments: args }) => {
    console.log(`approve ${name}(${JSON.stringify(args)})? yes`);
    return true;
  },
  stopWhen: ({ toolResults }) => toolResults.length > 0,
  onRoundFinish: ({ round, toolResults }) =>
    console.log(`round ${round} finished: ${toolResults.length} call(s)`),
});
console.log(`stopped by ${controlled.stoppedBy}; usage: ${controlled.usage?.totalTokens} tokens`);

// A tool without execute is yours to run: the run stops with the call pending.
const { execute: _serverSide, ...askUser } = weather;
const paused = await runTools(client, {
  messages,
  tools: [askUser],
  seed: 3,
  temperature: 0.7,
  maxTokens: 60,
});
for (const call of paused.pendingToolCalls)
  console.log(`pending: ${call.name}(${JSON.stringify(call.arguments)})`);

// A structured final answer (#13): the run's responseFormat is parsed into result.parsed. The
// local engine cannot constrain one request to both a schema and tool calls, so prepareRound
// leaves the schema out of round 1 and forbids calls after it; parallelToolCalls: false runs the
// calls of one answer one after another.
const Forecast = z.object({ city: z.string().max(20), umbrella: z.boolean() });
const structured = await runTools<z.output<typeof Forecast>>(client, {
  messages,
  tools: [weather],
  seed: 3,
  temperature: 0.7,
  maxTokens: 60,
  maxRounds: 3,
  parallelToolCalls: false,
  responseFormat: { name: "forecast", schema: Forecast },
  prepareRound: ({ round }) =>
    round === 1 ? { options: { responseFormat: undefined } } : { toolChoice: "none" },
});
// parsed: typed by runTools<T> (unknown without it); null when the run ended on tool calls
console.log(`structured answer after ${structured.rounds} rounds: ${JSON.stringify(structured.parsed)}`);
await close();
