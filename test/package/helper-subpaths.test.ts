// The helper subpaths as users get them (npm test builds first): ai-inference/structured and
// ai-inference/tools share the SDK entry's classes (their bundles import them from "ai-inference"
// instead of carrying copies), the SDK entry loads neither nor their validator (quality.md Q4), and
// the client's parse() and runTools() reach them through a lazy import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { useLoopbackServer } from "../support/loopback-server.js";
import { reply, toolCall } from "../support/chat-replies.js";

const dist = (name: string) => readFile(new URL(`../../dist/${name}`, import.meta.url), "utf8");
const staticImports = (code: string) =>
  [...code.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*"([^"]+)"/gm)].map((m) => m[1]);
const dynamicImports = (code: string) =>
  [...code.matchAll(/import\(\s*(?:\/\*[^*]*\*\/\s*)*"([^"]+)"\s*\)/g)].map((m) => m[1]);

test("SO10 TL12 Q4 the SDK entry loads the helpers only lazily, and never a validator or Zod", async () => {
  const entry = await dist("index.js");
  const imports = staticImports(entry);
  assert.ok(
    !imports.some((name) => /cfworker|zod|helpers|standard-schema/.test(name)),
    `index.js imports ${imports.join(", ")}`,
  );
  assert.deepEqual(
    dynamicImports(entry).filter((name) => name.startsWith("#helpers/")),
    ["#helpers/structured", "#helpers/tools"],
  );
});

test("SO10 TL12 the helper bundles import the SDK's classes from the entry and define none of their own", async () => {
  const built = await import("ai-inference");
  for (const file of ["structured.js", "tools.js"]) {
    const code = await dist(file);
    assert.doesNotMatch(
      code,
      /class (Model|ChatCompletions|ChatResponseMessage|AiInferenceError|AbortError|AssistantMessage)\b/,
    );
    assert.ok(staticImports(code).includes("ai-inference"), `${file} imports the SDK entry`);
    // Every name they take from the entry exists there (a missing one would fail to link).
    for (const match of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"ai-inference"/g)) {
      for (const spec of match[1]
        .split(",")
        .map((s) => s.trim().split(/\s+as\s+/)[0])
        .filter(Boolean)) {
        assert.ok(spec in built, `${file} imports ${spec}, which the SDK entry exports`);
      }
    }
    // The optional peer stays out of reach of bundlers; the validator loads on first use.
    assert.doesNotMatch(code, /from\s*"(zod|@cfworker\/json-schema)/);
    assert.match(code, /import\("@cfworker\/json-schema"\)/);
  }
});

test("SO10 TL12 built: the subpaths resolve by name and their classes are the SDK entry's", async () => {
  const sdk = await import("ai-inference");
  const structured = await import("ai-inference/structured");
  const tools = await import("ai-inference/tools");
  assert.equal(structured.StructuredOutputSchemaError, sdk.StructuredOutputSchemaError);
  assert.ok(new structured.ParsedChatResponseMessage() instanceof sdk.ChatResponseMessage);
  assert.equal(typeof tools.runTools, "function");
  assert.equal(typeof tools.defineTool, "function");
});

// In a child process: this one runs with the "ai-inference-source" condition, under which the
// built entry's "#helpers/*" imports would reach the sources (and their own copies of the classes).
const childScript = `
  const sdk = await import("ai-inference");
  const structured = await import("ai-inference/structured");
  const client = new sdk.ChatCompletionsClient(process.argv[1], null, { apiVersion: null });
  const schema = { type: "object", properties: { city: { type: "string" } }, required: ["city"] };
  const answer = await client.parse({ messages: [new sdk.UserMessage("where?")], responseFormat: { name: "place", schema } });
  const message = answer.choices[0].message;
  const run = await client.runTools({ messages: [new sdk.UserMessage("time?")], tools: [{ name: "now", execute: () => "12:00" }] });
  console.log(JSON.stringify({
    parsedClass: message instanceof structured.ParsedChatResponseMessage,
    sdkClass: message instanceof sdk.ChatResponseMessage,
    parsed: message.parsed,
    content: run.content,
    assistant: run.messages[1] instanceof sdk.AssistantMessage,
    tool: run.messages[2] instanceof sdk.ToolMessage,
  }));
`;

test("SO10 TL12 built: client.parse() and client.runTools() work through the lazy import, with shared classes", async (t) => {
  const server = await useLoopbackServer(
    t,
    reply({ content: '{"city":"Paris"}' }),
    reply({ toolCalls: [toolCall("c1", "now", {})] }),
    reply({ content: "noon" }),
  );
  const root = new URL("../../", import.meta.url).pathname;
  const child = spawn(process.execPath, ["--input-type=module", "-e", childScript, server.url], {
    cwd: root,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const [code] = (await once(child, "exit")) as [number];
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), {
    parsedClass: true,
    sdkClass: true,
    parsed: { city: "Paris" },
    content: "noon",
    assistant: true,
    tool: true,
  });
});
