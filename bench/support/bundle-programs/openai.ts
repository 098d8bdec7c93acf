// The bundle-size program (issue 12), openai-node's side: the same calls as ai-inference.ts.
import OpenAI from "openai";

const client = new OpenAI({
  apiKey: "key",
  baseURL: "https://example.com/v1",
  dangerouslyAllowBrowser: true,
});
const answer = await client.chat.completions.create({
  model: "model",
  messages: [{ role: "user", content: "Hello" }],
});
console.log(answer.choices[0].message.content ?? "");
const stream = await client.chat.completions.create({
  model: "model",
  messages: [{ role: "user", content: "Tell me a story" }],
  stream: true,
});
for await (const chunk of stream) console.log(chunk.choices[0]?.delta.content ?? "");
