// Issue 12 (bundle size): a browser program bundled from the built SDK entry (npm test builds
// first) carries only the clients and models it uses. Model classes that register with no base
// are defined from a static field marked pure, and the embeddings clients install their
// symbol-keyed methods the same way, so esbuild drops them from a program that never uses them;
// used, they keep every behaviour (their inspection, loadClient's pre-filled model info).
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { build } from "esbuild";
import { AzureKeyCredential, EmbeddingsClient, EmbeddingsResult, ImageEmbeddingsClient } from "ai-inference";

const root = new URL("../../", import.meta.url).pathname;

/** The program bundled for the browser, unminified so that class names stay readable. */
async function bundle(program: string): Promise<string> {
  const result = await build({
    stdin: { contents: program, resolveDir: root, loader: "ts" },
    absWorkingDir: root,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "error",
    // The lazily loaded parts (transport, helpers) are not what this test looks at.
    external: ["#platform/*", "#helpers/*"],
  });
  return result.outputFiles[0].text;
}

const chatProgram = `
import { AzureKeyCredential, ChatCompletionsClient, UserMessage } from "ai-inference";
const client = new ChatCompletionsClient("https://example.models.ai.azure.com", new AzureKeyCredential("key"));
const answer = await client.complete({ messages: [new UserMessage("Hello")] });
console.log(answer.choices[0].message.content);
`;

test("issue 12 a chat-only program's bundle leaves out the embeddings clients, their models and unused enums", async () => {
  const code = await bundle(chatProgram);
  assert.match(code, /var ChatCompletionsClient = class/);
  assert.match(code, /var ChatCompletions = class/);
  for (const unused of [
    "EmbeddingsClient",
    "ImageEmbeddingsClient",
    "EmbeddingsResult",
    "EmbeddingItem",
    "ImageEmbeddingInput",
    "embeddingAsFloat32",
    "FunctionDefinition",
    "EmbeddingEncodingFormat",
    "ImageGeneration",
  ]) {
    assert.ok(!code.includes(unused), `the bundle still holds ${unused}`);
  }
});

test("issue 12 a program that uses the embeddings client gets it with its models", async () => {
  const code = await bundle(`
import { EmbeddingsClient } from "ai-inference";
const result = await new EmbeddingsClient("https://example.models.ai.azure.com", null).embed({ input: ["a"] });
console.log(result.data[0].embeddingAsFloat32());
`);
  for (const used of ["var EmbeddingsClient = class", "var EmbeddingsResult = class", "embeddingAsFloat32"]) {
    assert.ok(code.includes(used), `the bundle lacks ${used}`);
  }
});

test("issue 12 P3.3 the embeddings clients keep their inspection (endpoint shown, key never) as non-enumerable methods", () => {
  const key = "sk-inspect-me-not-456";
  for (const Client of [EmbeddingsClient, ImageEmbeddingsClient]) {
    const client = new Client("https://example.models.ai.azure.com", new AzureKeyCredential(key));
    const text = inspect(client, { showHidden: true, depth: 10 });
    assert.ok(!text.includes(key), text);
    assert.match(
      inspect(client),
      new RegExp(
        `^${Client.name} \\{ endpoint: "https://example\\.models\\.ai\\.azure\\.com", kind: "model-inference"`,
      ),
    );
    const inspectKey = Symbol.for("nodejs.util.inspect.custom");
    const descriptor = Object.getOwnPropertyDescriptor(Client.prototype, inspectKey);
    assert.equal(descriptor?.enumerable, false);
    assert.deepEqual(Object.keys(client), []);
  }
  // The models defined from their static field work as before (M3): typed view and wire names.
  const result = EmbeddingsResult.fromDict({
    data: [{ embedding: [1, 2], index: 0 }],
    usage: { prompt_tokens: 3 },
  });
  assert.deepEqual([...result.data[0].embeddingAsFloat32()], [1, 2]);
  assert.equal(result.usage.promptTokens, 3);
});
