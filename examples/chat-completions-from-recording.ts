// Builds a ChatCompletions from a real recorded response (Azure OpenAI gpt-4o calling a tool) and
// prints what the typed view and the mapping view show. Run: npm run example
import { readFile } from "node:fs/promises";
import { ChatCompletions } from "ai-inference";

const recording = new URL(
  "../test/fixtures/recordings/js/node/chat_test_suite/recording_function_calling_test.json",
  import.meta.url,
);
const { Entries } = JSON.parse(await readFile(recording, "utf8"));
const completions = ChatCompletions.fromDict(Entries[0].ResponseBody);

const [choice] = completions.choices;
console.log("id:           ", completions.id);
console.log("created:      ", completions.created.toISOString());
console.log("model:        ", completions.model);
console.log("finish reason:", choice.finishReason);
console.log("content:      ", choice.message.content);
for (const call of choice.message.toolCalls ?? []) {
  console.log("tool call:    ", call.id, call.function.name, call.function.arguments);
}
console.log(
  "usage:        ",
  completions.usage?.promptTokens,
  "+",
  completions.usage?.completionTokens,
  "tokens",
);
console.log(
  "extra keys:   ",
  completions.keys().filter((key) => !["id", "created", "model", "choices", "usage"].includes(key)),
);
console.log("\ntoString():\n" + completions.toString());
