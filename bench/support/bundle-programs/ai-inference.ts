// The bundle-size program (issue 12), ai-inference's side: create a client, complete once, stream once.
import { AzureKeyCredential, ChatCompletionsClient, UserMessage } from "ai-inference";

const client = new ChatCompletionsClient(
  "https://example.models.ai.azure.com",
  new AzureKeyCredential("key"),
);
const answer = await client.complete({ messages: [new UserMessage("Hello")] });
console.log(answer.choices[0].message.content ?? "");
const stream = await client.complete({ messages: [new UserMessage("Tell me a story")], stream: true });
for await (const text of stream.textStream()) console.log(text);
