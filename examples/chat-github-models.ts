// GitHub Models: a personal access token (with the models scope) as the key.
// Run: GITHUB_TOKEN=... npx tsx examples/chat-github-models.ts
import { AzureKeyCredential, ChatCompletionsClient, RateLimitError } from "ai-inference";

const client = new ChatCompletionsClient(
  "https://models.github.ai/inference",
  new AzureKeyCredential(process.env.GITHUB_TOKEN ?? ""),
  { defaults: { model: "openai/gpt-4o-mini" } },
);

try {
  const answer = await client.complete({
    messages: [{ role: "user", content: "Write a haiku about rain." }],
  });
  console.log(answer.choices[0].message.content);
} catch (error) {
  // GitHub Models' free tier is rate limited: the error says how long to wait.
  if (error instanceof RateLimitError)
    console.error(`Rate limited; retry in ${error.retryAfterMs} ms`, error.rateLimits);
  else throw error;
}
