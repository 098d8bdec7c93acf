// quality.md Q4, model rows: fromJSON + wrap + read every field against JSON.parse alone (target
// ≤ 1.5×), and asDict() against structuredClone of the parsed object (target ≤ 1.0×). Issue 11
// (M3.3 as amended): a loop that indexes `result.data[i]` over 16,384 embeddings costs at most 1.5
// times the same loop over the list read once (target ≤ 1.5×), with a bare loop body (only the
// read) and with a dot product per embedding.
import { ChatCompletions, EmbeddingsResult } from "ai-inference";
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
  const usage = completions.usage!;
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

// A response as a user receives it: every loop below starts on a fresh, unread result (its items
// are wrapped by the loop's first read), as the first pass over an answer does. The indexed loop
// reads `result.data` twice per item (condition and body), as such loops are written.
const EMBEDDINGS = smoke ? 1024 : 16_384;
const embeddingsText = JSON.stringify({
  object: "list",
  id: "embeddings",
  model: "bench",
  data: Array.from({ length: EMBEDDINGS }, (_, i) => ({
    object: "embedding",
    index: i,
    embedding: Array.from({ length: 16 }, (_, j) => Math.round(Math.sin(i + j) * 1e6) / 1e6),
  })),
  usage: { prompt_tokens: EMBEDDINGS, total_tokens: EMBEDDINGS },
});
let fresh: EmbeddingsResult = EmbeddingsResult.fromJSON(embeddingsText);
const freshResult = (): void => {
  fresh = EmbeddingsResult.fromJSON(embeddingsText);
};
const hoistedLoop = (result: EmbeddingsResult): void => {
  const data = result.data;
  for (let i = 0; i < data.length; i++) sink += data[i].embedding.length;
};
const indexedLoop = (result: EmbeddingsResult): void => {
  for (let i = 0; i < result.data.length; i++) sink += result.data[i].embedding.length;
};
// The same loops doing what embeddings are for: a dot product with a query vector.
const query = Array.from({ length: 16 }, (_, j) => Math.cos(j));
const dot = (embedding: number[] | string): number => {
  let sum = 0;
  for (let j = 0; j < query.length; j++) sum += (embedding as number[])[j] * query[j];
  return sum;
};
const hoistedSearch = (result: EmbeddingsResult): void => {
  const data = result.data;
  for (let i = 0; i < data.length; i++) sink += dot(data[i].embedding);
};
const indexedSearch = (result: EmbeddingsResult): void => {
  for (let i = 0; i < result.data.length; i++) sink += dot(result.data[i].embedding);
};
const read = EmbeddingsResult.fromJSON(embeddingsText);
hoistedLoop(read);
const lists = await compare({
  title: `models: a loop over ${EMBEDDINGS} embeddings indexing result.data[i] vs the list read once`,
  reference: "list read once, first pass",
  rounds: ROUNDS,
  contenders: [
    { name: "list read once, first pass", setup: freshResult, run: () => hoistedLoop(fresh) },
    { name: "result.data[i], first pass", setup: freshResult, run: () => indexedLoop(fresh) },
    { name: "list read once, items already read", run: () => hoistedLoop(read) },
    { name: "result.data[i], items already read", run: () => indexedLoop(read) },
  ],
});
const searches = await compare({
  title: `models: the same loops computing a dot product with each of the ${EMBEDDINGS} embeddings`,
  reference: "list read once, first pass",
  rounds: ROUNDS,
  contenders: [
    { name: "list read once, first pass", setup: freshResult, run: () => hoistedSearch(fresh) },
    { name: "result.data[i], first pass", setup: freshResult, run: () => indexedSearch(fresh) },
    { name: "list read once, items already read", run: () => hoistedSearch(read) },
    { name: "result.data[i], items already read", run: () => indexedSearch(read) },
  ],
});

console.log();
const ok = [
  target("fromJSON + read every field ÷ JSON.parse", parse[1].ratio, "<=", 1.5),
  target("asDict() ÷ structuredClone", dict[1].ratio, "<=", 1.0),
  target("result.data[i] loop ÷ list read once (first pass)", lists[1].ratio, "<=", 1.5),
  target("result.data[i] dot products ÷ list read once (first pass)", searches[1].ratio, "<=", 1.5),
];
// For information: with nothing but the read in the loop, what is left is the getter's own cost.
console.log(
  `(items already read: ${(lists[3].ratio / lists[2].ratio).toFixed(3)} for the bare loop, ` +
    `${(searches[3].ratio / searches[2].ratio).toFixed(3)} for the dot products)`,
);
if (sink === 42) console.log("(sink)");
if (!smoke && ok.includes(false)) process.exitCode = 1;
