// S4 with the embedded default path: the CLI runs the local server in-process on the tiny model
// (S3), or serves it over HTTP. The model speaks gibberish: these tests check structure only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli, startServeProcess } from "../support/run-cli.js";
import { tinyModelPath } from "../support/tiny-model.js";

test("S4.1 chat with the tiny model streams text to stdout and exits 0", async () => {
  const model = await tinyModelPath();
  const result = await runCli([
    "chat",
    "--model-file",
    model,
    "--max-tokens",
    "12",
    "--temperature",
    "0",
    "Hello",
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.ok(result.stdout.trim().length > 0, "some text arrived");
  assert.ok(result.stdout.endsWith("\n"));
  const again = await runCli([
    "chat",
    "--model-file",
    model,
    "--max-tokens",
    "12",
    "--temperature",
    "0",
    "Hello",
  ]);
  assert.equal(again.stdout, result.stdout, "greedy sampling is deterministic");
});

test("S4.1 chat --json prints the whole ChatCompletions, streamed or not, in the same shape", async () => {
  const model = await tinyModelPath();
  const args = ["chat", "--json", "--model-file", model, "--max-tokens", "8", "--temperature", "0", "Hi"];
  const streamed = await runCli(args);
  const whole = await runCli([...args, "--no-stream"]);
  assert.equal(streamed.code, 0, streamed.stderr);
  assert.equal(whole.code, 0, whole.stderr);
  const a = JSON.parse(streamed.stdout);
  const b = JSON.parse(whole.stdout);
  assert.equal(a.object, "chat.completion");
  assert.equal(a.choices[0].finish_reason, "length");
  assert.equal(a.usage.completion_tokens, 8);
  for (const value of [a, b]) {
    delete value.id;
    delete value.created;
  }
  assert.deepEqual(a, b, "finalChatCompletions() equals the non-streamed reply (P5.13)");
});

test("S4.4 info and embed with the tiny model", async () => {
  const model = await tinyModelPath();
  const info = await runCli(["info", "--model-file", model]);
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, /^model_name: .+\nmodel_type: .+\nmodel_provider_name: .+\n$/);
  const embed = await runCli(["embed", "--model-file", model, "first text", "second text"]);
  assert.equal(embed.code, 0, embed.stderr);
  const lines = embed.stdout
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as number[]);
  assert.equal(lines.length, 2);
  for (const vector of lines) {
    assert.ok(vector.length > 0 && vector.every((x) => typeof x === "number" && Number.isFinite(x)));
  }
});

test("S4.3 serve prints the URL, answers over HTTP, and shuts down cleanly on SIGTERM", async () => {
  const model = await tinyModelPath();
  const serve = await startServeProcess(["--model-file", model, "--port", "0"]);
  try {
    const health = await fetch(`${serve.url}/health`);
    assert.equal(health.status, 200);
    const chat = await runCli([
      "chat",
      "--endpoint",
      serve.url,
      "--api-version",
      "none",
      "--max-tokens",
      "5",
      "Hi",
    ]);
    assert.equal(chat.code, 0, chat.stderr);
    assert.ok(chat.stdout.trim().length > 0);
    assert.match(serve.stderr(), /POST \/chat\/completions 200/, "one log line per request");
  } finally {
    serve.child.kill("SIGTERM");
  }
  assert.equal(await serve.exited, 0);
  assert.match(serve.stderr(), /SIGTERM: shutting down/);
});
