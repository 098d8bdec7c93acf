// Text embeddings, and `loadClient`, which asks the endpoint what it serves.
// Run: AZURE_AI_ENDPOINT=https://<name>.<region>.models.ai.azure.com AZURE_AI_KEY=... npx tsx examples/embeddings.ts
import { AzureKeyCredential, EmbeddingsClient, loadClient } from "ai-inference";

const endpoint = process.env.AZURE_AI_ENDPOINT ?? "https://my-embeddings.eastus2.models.ai.azure.com";
const credential = new AzureKeyCredential(process.env.AZURE_AI_KEY ?? "");

const client = await loadClient(endpoint, credential);
if (!(client instanceof EmbeddingsClient))
  throw new Error(`This endpoint serves ${(await client.getModelInfo()).modelType}`);

const result = await client.embed({ input: ["first phrase", "second phrase"], inputType: "document" });
for (const item of result.data) console.log(item.index, item.embeddingAsFloat32().slice(0, 4));
