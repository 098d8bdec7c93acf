// ai-inference/router as users get it (npm test builds first): its bundle takes the SDK's classes
// from the entry (errors, models and streams are the entry's, so instanceof holds), names only
// what the entry exports, and works with the helpers through their lazy import (issue 14).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { useLoopbackServer } from "../support/loopback-server.js";
import { reply, toolCall } from "../support/chat-replies.js";

test("issue 14 the router bundle defines none of the SDK's classes and imports only what the entry exports", async () => {
  const code = await readFile(new URL("../../dist/router.js", import.meta.url), "utf8");
  assert.doesNotMatch(
    code,
    /class (Model|ChatCompletions|AiInferenceError|HttpResponseError|RateLimitError|StreamingChatCompletions|EmbeddingsResult)\b/,
  );
  const built = await import("ai-inference");
  let names = 0;
  for (const match of code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"ai-inference"/g)) {
    for (const spec of match[1]
      .split(",")
      .map((s) => s.trim().split(/\s+as\s+/)[0])
      .filter(Boolean)) {
      assert.ok(spec in built, `router.js imports ${spec}, which the SDK entry exports`);
      names++;
    }
  }
  assert.ok(names > 5);
});

// In a child process: this one runs with the "ai-inference-source" condition.
const childScript = `
  const sdk = await import("ai-inference");
  const { ChatCompletionsRouter } = await import("ai-inference/router");
  const [good, bad] = process.argv.slice(1);
  const router = new ChatCompletionsRouter(
    [{ name: "bad", endpoint: bad, credential: null }, { name: "good", endpoint: good, credential: null, priority: 1 }],
    { apiVersion: null },
  );
  const answer = await router.complete({ messages: [new sdk.UserMessage("hi")] });
  const run = await router.runTools({ messages: [new sdk.UserMessage("time?")], tools: [{ name: "now", execute: () => "12:00" }] });
  const error = await router.complete({ messages: [new sdk.UserMessage("hi")], deployment: "bad", maxRetries: 0 }).catch((e) => e);
  console.log(JSON.stringify({
    answerClass: answer instanceof sdk.ChatCompletions,
    content: answer.choices[0].message.content,
    toolContent: run.content,
    errorClass: error instanceof sdk.HttpResponseError,
    deployment: error.deployment,
  }));
`;

test("issue 14 built: the router's answers and errors are the entry's classes, and runTools works over it", async (t) => {
  const good = await useLoopbackServer(
    t,
    reply({ content: "hello" }),
    reply({ toolCalls: [toolCall("c1", "now", {})] }),
    reply({ content: "noon" }),
  );
  const bad = await useLoopbackServer(t, { status: 503, body: { error: { message: "down" } } });
  const root = new URL("../../", import.meta.url).pathname;
  const child = spawn(process.execPath, ["--input-type=module", "-e", childScript, good.url, bad.url], {
    cwd: root,
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const [code] = (await once(child, "exit")) as [number];
  assert.equal(code, 0, stderr);
  assert.deepEqual(JSON.parse(stdout), {
    answerClass: true,
    content: "hello",
    toolContent: "noon",
    errorClass: true,
    deployment: "bad",
  });
});
