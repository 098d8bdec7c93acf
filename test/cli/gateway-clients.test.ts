// Other languages' and frameworks' clients against the scripted engine and the gateway (issue 14):
// the Vercel AI SDK (@ai-sdk/openai-compatible) and LangChain (@langchain/openai), plain, streamed
// and with a tool call, over real HTTP on loopback.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, jsonSchema, streamText, tool } from "ai";
import { ChatOpenAI } from "@langchain/openai";
import { AzureKeyCredential } from "../../src/index.js";
import { createServer, type ScriptedReply } from "../../src/server/index.js";
import { createGatewayEngine } from "../../src/cli/gateway/gateway-engine.js";
import { readUpstreams } from "../../src/cli/gateway/upstreams-file.js";

type T = { after(fn: () => unknown): void };

const script: readonly ScriptedReply[] = [
  {
    match: "weather",
    toolCalls: [{ id: "call_w", name: "get_weather", arguments: { city: "Paris" } }],
    repeat: true,
  },
  { content: ["Hello ", "from ", "the script."], delayMs: 5, repeat: true },
];

/** The scripted server, and a gateway in front of it: both OpenAI-compatible base URLs. */
async function targets(t: T): Promise<[string, string][]> {
  const scripted = await createServer({ replies: script, log: false });
  const scriptedUrl = await scripted.listen();
  t.after(() => scripted.close());
  const config = readUpstreams(
    `apiVersion: none\ndeployments:\n  - { name: local, endpoint: "${scriptedUrl}/v1" }\n`,
    "upstreams.yaml",
    {},
    (key) => new AzureKeyCredential(key),
  );
  const gateway = await createServer({ engine: createGatewayEngine(config), log: false });
  const gatewayUrl = await gateway.listen();
  t.after(() => gateway.close());
  return [
    ["scripted engine", `${scriptedUrl}/v1`],
    ["gateway", `${gatewayUrl}/v1`],
  ];
}

describe("issue 14 the Vercel AI SDK against the scripted engine and the gateway", () => {
  test("issue 14 generateText, streamText and a tool call", async (t) => {
    for (const [name, baseURL] of await targets(t)) {
      const provider = createOpenAICompatible({ name: "ai-inference", baseURL, apiKey: "unused" });
      const { text } = await generateText({ model: provider("gpt-4o"), prompt: "Hi", maxRetries: 0 });
      assert.equal(text, "Hello from the script.", name);

      const streamed = streamText({ model: provider("gpt-4o"), prompt: "Hi", maxRetries: 0 });
      const pieces: string[] = [];
      for await (const piece of streamed.textStream) pieces.push(piece);
      assert.equal(pieces.join(""), "Hello from the script.", name);
      assert.ok(pieces.length >= 3, `${name}: the chunks arrive as chunks`);

      const called = await generateText({
        model: provider("gpt-4o"),
        prompt: "What is the weather in Paris?",
        maxRetries: 0,
        tools: {
          get_weather: tool({
            description: "The weather in a city",
            inputSchema: jsonSchema<{ city: string }>({
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
            }),
          }),
        },
      });
      assert.equal(called.finishReason, "tool-calls", name);
      assert.deepEqual(
        called.toolCalls.map((c) => [c.toolName, c.input]),
        [["get_weather", { city: "Paris" }]],
        name,
      );
    }
  });
});

describe("issue 14 LangChain (@langchain/openai) against the scripted engine and the gateway", () => {
  test("issue 14 invoke, stream and a tool call", async (t) => {
    for (const [name, baseURL] of await targets(t)) {
      const llm = new ChatOpenAI({
        model: "gpt-4o",
        apiKey: "unused",
        maxRetries: 0,
        configuration: { baseURL },
      });
      const answer = await llm.invoke("Hi");
      assert.equal(answer.content, "Hello from the script.", name);

      const pieces: string[] = [];
      for await (const chunk of await llm.stream("Hi")) pieces.push(String(chunk.content));
      assert.equal(pieces.join(""), "Hello from the script.", name);

      const withTools = llm.bindTools([
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "The weather in a city",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ]);
      const called = await withTools.invoke("What is the weather in Paris?");
      assert.deepEqual(
        called.tool_calls?.map((c) => [c.name, c.args, c.id]),
        [["get_weather", { city: "Paris" }, "call_w"]],
        name,
      );
    }
  });
});
