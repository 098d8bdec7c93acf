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
await close();
