// The client the helper examples talk to: your endpoint when AZURE_AI_CHAT_ENDPOINT is set (with
// AZURE_AI_CHAT_KEY), else the local server in-process with the tiny test model, whose answers are
// gibberish that still follows the schema and calls tools, so the whole path runs offline.
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AzureKeyCredential, ChatCompletionsClient } from "ai-inference";
import { createServer, writeTinyModel } from "ai-inference/server";

export async function exampleClient(): Promise<{ client: ChatCompletionsClient; close(): Promise<void> }> {
  const endpoint = process.env.AZURE_AI_CHAT_ENDPOINT;
  if (endpoint) {
    const key = process.env.AZURE_AI_CHAT_KEY;
    const client = new ChatCompletionsClient(endpoint, key ? new AzureKeyCredential(key) : null);
    return { client, close: async () => {} };
  }
  const modelPath = join(tmpdir(), `ai-inference-example-tiny-${process.pid}.gguf`);
  await writeTinyModel(modelPath); // 600 KB, written in a few milliseconds
  const server = await createServer({ modelPath, log: false });
  const client = new ChatCompletionsClient("http://local", null, { fetch: server.fetch, apiVersion: null });
  return {
    client,
    close: async () => {
      await server.close();
      await rm(modelPath, { force: true });
    },
  };
}
