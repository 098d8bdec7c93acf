// An Azure OpenAI deployment with Microsoft Entra ID (no key): any @azure/identity credential works
// as it is, and the client asks for the https://cognitiveservices.azure.com/.default scope itself.
// Run: AZURE_OPENAI_ENDPOINT=https://<resource>.openai.azure.com/openai/deployments/<deployment> npx tsx examples/chat-azure-openai-entra-id.ts
import { DefaultAzureCredential } from "@azure/identity";
import { ChatCompletionsClient } from "ai-inference";

const client = new ChatCompletionsClient(
  process.env.AZURE_OPENAI_ENDPOINT ?? "https://my-resource.openai.azure.com/openai/deployments/gpt-4o",
  new DefaultAzureCredential(),
  { apiVersion: "2024-10-21" },
);

const answer = await client.complete({
  messages: [{ role: "user", content: "Say hello in French." }],
  maxCompletionTokens: 50,
});
console.log(answer.choices[0].message.content);
// Azure OpenAI's extras stay reachable through the mapping view:
console.log(answer.choices[0].get("content_filter_results"));
