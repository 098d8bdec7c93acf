// quality.md Q4, model rows: fromJSON + wrap + read every field against JSON.parse alone (target
// ≤ 1.5×), and asDict() against structuredClone of the parsed object (target ≤ 1.0×).
import { ChatCompletions } from "ai-inference";
import { compare, smoke, target } from "./support/harness.js";
import { typicalCompletionText } from "./support/typical-completion.js";

const BATCH = smoke ? 200 : 20_000;
const ROUNDS = smoke ? 2 : 15;
let sink = 0;

function readEverything(completions: ChatCompletions): void {
  sink += completions.id.length + completions.created.getTime() + completions.model.length;
  for (const choice of completions.choices) {
    sink += choice.index + (choice.finishReason?.length ?? 0);
    const message = choice.message;
    sink += message.role.length + (message.content?.length ?? 0);
    for (const call of message.toolCalls ?? []) {
      sink += call.id.length + call.type.length + call.function.name.length + call.function.arguments.length;
    }
  }
  const usage = completions.usage;
  sink += usage.promptTokens + usage.completionTokens + usage.totalTokens;
  sink +=
    (usage.completionTokensDetails?.reasoningTokens ?? 0) + (usage.promptTokensDetails?.cachedTokens ?? 0);
}

console.log(`${typicalCompletionText.length} bytes of JSON, batches of ${BATCH}`);

const parse = await compare({
  title: "models: fromJSON + read every field vs JSON.parse",
  reference: "JSON.parse",
  rounds: ROUNDS,
  contenders: [
    {
      name: "JSON.parse",
      run() {
        for (let i = 0; i < BATCH; i++) sink += JSON.parse(typicalCompletionText).created;
      },
    },
    {
      name: "ChatCompletions.fromJSON + read every field",
      run() {
        for (let i = 0; i < BATCH; i++) readEverything(ChatCompletions.fromJSON(typicalCompletionText));
      },
    },
    {
      name: "JSON.parse + structuredClone",
      run() {
        for (let i = 0; i < BATCH; i++) sink += structuredClone(JSON.parse(typicalCompletionText)).created;
      },
    },
  ],
});

const parsed = JSON.parse(typicalCompletionText);
const wrapped = ChatCompletions.fromJSON(typicalCompletionText);
readEverything(wrapped);
const unread = ChatCompletions.fromJSON(typicalCompletionText);
const dict = await compare({
  title: "models: asDict() vs structuredClone",
  reference: "structuredClone",
  rounds: ROUNDS,
  contenders: [
    {
      name: "structuredClone",
      run() {
        for (let i = 0; i < BATCH; i++) sink += structuredClone(parsed).created;
      },
    },
    {
      name: "asDict() (every nested model built)",
      run() {
        for (let i = 0; i < BATCH; i++) sink += wrapped.asDict().created as number;
      },
    },
    {
      name: "asDict() (nothing read yet)",
      run() {
        for (let i = 0; i < BATCH; i++) sink += unread.asDict().created as number;
      },
    },
  ],
});

console.log();
const ok = [
  target("fromJSON + read every field ÷ JSON.parse", parse[1].ratio, "<=", 1.5),
  target("asDict() ÷ structuredClone", dict[1].ratio, "<=", 1.0),
];
if (sink === 42) console.log("(sink)");
if (!smoke && ok.includes(false)) process.exitCode = 1;
