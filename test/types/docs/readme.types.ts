// Type-checked copies of documentation examples, compiled under strict by `npm run typecheck`;
// test/types/docs-examples.test.ts checks that each block between the markers appears verbatim in
// its page. Prettier leaves this folder alone (.prettierignore), so the copies stay verbatim.
// <doc-block page="README.md">
import { ChatCompletionsClient, AzureKeyCredential, SystemMessage, UserMessage } from "ai-inference";

const client = new ChatCompletionsClient("https://<name>.<region>.models.ai.azure.com", new AzureKeyCredential(key));
const answer = await client.complete({
  messages: [new SystemMessage("Be brief."), new UserMessage("How many feet are in a mile?")],
  maxTokens: 100,
});
console.log(answer.choices[0].message.content, answer.usage?.totalTokens); // usage may be absent
answer.get("system_fingerprint"); // every key the service sent is kept (mapping view)

const stream = await client.complete({ messages: [new UserMessage("Tell me a story")], stream: true });
for await (const text of stream.textStream()) process.stdout.write(text);
const whole = await stream.finalChatCompletions(); // the accumulated ChatCompletions
// </doc-block>
// <doc-block page="README.md">
import { createServer } from "ai-inference/server";
await using server = await createServer({ modelPath: "tiny.gguf" });
const local = new ChatCompletionsClient("http://local", null, { fetch: server.fetch, apiVersion: null });
// </doc-block>

declare const key: string;
void [whole, local];
