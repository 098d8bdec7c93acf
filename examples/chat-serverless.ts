// A serverless or managed-compute Model Inference endpoint with an API key.
// Run: AZURE_AI_ENDPOINT=https://<name>.<region>.models.ai.azure.com AZURE_AI_KEY=... npx tsx examples/chat-serverless.ts
import { AzureKeyCredential, ChatCompletionsClient, SystemMessage, UserMessage } from "ai-inference";

const client = new ChatCompletionsClient(
  process.env.AZURE_AI_ENDPOINT ?? "https://my-model.eastus2.models.ai.azure.com",
  new AzureKeyCredential(process.env.AZURE_AI_KEY ?? ""),
);

const answer = await client.complete({
  messages: [
    new SystemMessage("You are a helpful assistant."),
    new UserMessage("How many feet are in a mile?"),
  ],
  maxTokens: 200,
});
console.log(answer.choices[0].message.content);
console.log(answer.usage?.promptTokens, "+", answer.usage?.completionTokens, "tokens; model", answer.model);
