// Runs offline: a local node:http server answers like a serverless endpoint (a recorded reply), and
// the client calls it. Shows the options a call takes, onResponse, the retry on a 503, and errors.
// Run: npm run build && npx tsx examples/client-offline.ts
import http from "node:http";
import { ChatCompletionsClient, HttpResponseError, UserMessage } from "ai-inference";

let requests = 0;
const server = http.createServer((req, res) => {
  req.resume().on("end", () => {
    requests++;
    if (requests === 1) {
      res.writeHead(503, { "retry-after-ms": "100", "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "Busy", message: "The model is busy." } }));
    } else if (req.url?.startsWith("/info")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("NOT FOUND");
    } else {
      res.writeHead(200, { "content-type": "application/json", "x-request-id": "local-1" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-local",
          object: "chat.completion",
          created: 1736389070,
          model: "mistral-large-2411",
          choices: [
            { index: 0, finish_reason: "stop", message: { role: "assistant", content: "5,280 feet." } },
          ],
          usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 },
        }),
      );
    }
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as { port: number };

const client = new ChatCompletionsClient(`http://127.0.0.1:${port}`, null, {
  defaults: { temperature: 0.2 },
});
const answer = await client.complete({
  messages: [new UserMessage("How many feet are in a mile?")],
  maxTokens: 20,
  onResponse: ({ status, attempt, headers }) =>
    console.log(`attempt ${attempt}: ${status}`, headers.get("x-request-id") ?? ""),
});
console.log(answer.choices[0].message.content, answer.created.toISOString());

try {
  await client.getModelInfo();
} catch (error) {
  if (error instanceof HttpResponseError) console.log(error.name, "→", error.message);
}
server.close();
