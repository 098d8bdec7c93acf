// An Azure AI Foundry resource: one endpoint serves many models, chosen with `model`.
// Run: AZURE_AI_ENDPOINT=https://<resource>.services.ai.azure.com/models AZURE_AI_KEY=... npx tsx examples/chat-foundry.ts
import { AzureKeyCredential, ChatCompletionsClient } from "ai-inference";

const client = new ChatCompletionsClient(
  process.env.AZURE_AI_ENDPOINT ?? "https://my-resource.services.ai.azure.com/models",
  new AzureKeyCredential(process.env.AZURE_AI_KEY ?? ""),
  { defaults: { model: process.env.AZURE_AI_MODEL ?? "Phi-4" } },
);

const answer = await client.complete({ messages: [{ role: "user", content: "Name three prime numbers." }] });
console.log(answer.choices[0].message.content);
