// Any OpenAI-compatible server: OpenAI itself, Ollama, vLLM, llama.cpp's server. They take no
// api-version, so pass `apiVersion: null`.
// Run (Ollama): OPENAI_BASE_URL=http://localhost:11434/v1 MODEL=llama3.2 npx tsx examples/chat-openai-compatible.ts
// Run (OpenAI): OPENAI_BASE_URL=https://api.openai.com/v1 OPENAI_API_KEY=... MODEL=gpt-4o-mini npx tsx examples/chat-openai-compatible.ts
import { AzureKeyCredential, ChatCompletionsClient } from "ai-inference";

const key = process.env.OPENAI_API_KEY;
const client = new ChatCompletionsClient(
  process.env.OPENAI_BASE_URL ?? "http://localhost:11434/v1",
  key === undefined ? null : new AzureKeyCredential(key),
  { apiVersion: null, defaults: { model: process.env.MODEL ?? "llama3.2" } },
);

const answer = await client.complete({
  messages: [{ role: "user", content: "Why is the sky blue? One sentence." }],
});
console.log(answer.choices[0].message.content);
