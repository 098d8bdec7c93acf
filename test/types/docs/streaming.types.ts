// Type-checked copies of documentation examples, compiled under strict by `npm run typecheck`;
// test/types/docs-examples.test.ts checks that each block between the markers appears verbatim in
// its page. Prettier leaves this folder alone (.prettierignore), so the copies stay verbatim.
// <doc-block page="docs/streaming.md">
import { ChatCompletionsClient, AzureKeyCredential } from "ai-inference";

const client = new ChatCompletionsClient(endpoint, new AzureKeyCredential(key));
const stream = await client.complete({
  messages: [{ role: "user", content: "Write a haiku about rivers." }],
  stream: true,
});

for await (const update of stream) {
  process.stdout.write(update.text); // this chunk's text of the first choice, "" when it has none
}
const answer = await stream.finalChatCompletions(); // the whole reply, as if not streamed
console.log(answer.choices[0].message.content, answer.usage?.totalTokens);
// </doc-block>
// <doc-block page="docs/streaming.md">
for await (const update of stream) {
  for (const choice of update.choices ?? []) {
    const delta = choice.delta;
    if (delta?.toolCalls) showToolCalls(choice.index, delta.toolCalls);
    if (choice.finishReason) console.log(`choice ${choice.index} finished: ${choice.finishReason}`);
  }
  if (update.usage) console.log(update.usage.totalTokens);
}
// </doc-block>
import { isAiInferenceError, type StreamingChatCompletionsUpdate } from "ai-inference";
// <doc-block page="docs/streaming.md">
try {
  for await (const update of stream) render(update);
} catch (error) {
  if (isAiInferenceError(error) && error.partial) keepDraft(error.partial.choices[0]?.message.content);
  throw error;
}
// </doc-block>

declare function render(update: StreamingChatCompletionsUpdate): void;
declare function keepDraft(text: string | null | undefined): void;
declare const endpoint: string;
declare const key: string;
declare function showToolCalls(index: number, calls: readonly StreamingChatResponseToolCallUpdate[]): void;
import type { StreamingChatResponseToolCallUpdate } from "ai-inference";
