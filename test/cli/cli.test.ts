// S4: the command line run as a child process, as a user runs it: help, version, exit codes,
// errors on stderr, the tiny model, the offline default, a remote endpoint on loopback.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../support/run-cli.js";
import { useLoopbackServer } from "../support/loopback-server.js";
import { loadRecording } from "../support/recordings.js";
import { tinyModelPath } from "../support/tiny-model.js";

const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
const tempDir = () => mkdtemp(join(tmpdir(), "ai-inference-cli-"));

test("S4.5 --help prints the commands to stdout and exits 0", async () => {
  const result = await runCli(["--help"]);
  assert.equal(result.code, 0);
  for (const command of ["chat", "serve", "info", "embed", "tiny-model"])
    assert.match(result.stdout, new RegExp(`\\n  ${command} `));
  assert.equal(result.stderr, "");
});

test("S4.5 every command has --help on stdout, exit 0, listing its options", async () => {
  const expected: Record<string, string[]> = {
    chat: [
      "--system",
      "--model",
      "--temperature",
      "--max-tokens",
      "--json",
      "--no-stream",
      "--endpoint",
      "--api-key",
      "--key",
      "--api-version",
      "--model-file",
    ],
    serve: [
      "--host",
      "--port",
      "--api-key",
      "--insecure-no-auth",
      "--model-file",
      "--max-concurrent",
      "--max-queue",
      "--threads",
      "--cors-origin",
      "--replies",
      "--upstreams",
    ],
    info: ["--endpoint", "--json"],
    embed: ["--endpoint", "--dimensions"],
    "tiny-model": ["--seed", "--embd", "--layers", "--ff", "--heads", "--kv-heads", "--ctx", "--eos-bias"],
  };
  for (const [command, flags] of Object.entries(expected)) {
    const result = await runCli([command, "--help"]);
    assert.equal(result.code, 0, command);
    assert.match(result.stdout, new RegExp(`^Usage: ai-inference ${command}`), command);
    for (const flag of flags) assert.ok(result.stdout.includes(flag), `${command} --help lists ${flag}`);
  }
});

test("S4.5 --version prints the package's version", async () => {
  const result = await runCli(["--version"]);
  assert.equal(result.code, 0);
  assert.equal(result.stdout.trim(), pkg.version);
});

test("S4.5 usage errors exit 2 with one line on stderr that names the problem, no stack trace", async () => {
  const unknown = await runCli(["frobnicate"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /^ai-inference: error: unknown command "frobnicate"/);
  assert.equal(unknown.stderr.trim().split("\n").length, 1);
  const badFlag = await runCli(["chat", "--temprature", "1", "hi"]);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /--temprature/);
  const badNumber = await runCli(["chat", "--max-tokens", "lots", "hi"]);
  assert.equal(badNumber.code, 2);
  assert.match(badNumber.stderr, /--max-tokens must be an integer/);
  const none = await runCli([]);
  assert.equal(none.code, 2, "no command is a usage error");
  assert.match(none.stdout, /Usage: ai-inference <command>/);
  const both = await runCli(["chat", "--endpoint", "http://127.0.0.1:9", "--model-file", "x.gguf", "hi"]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /either --endpoint or --model-file/);
});

test("S4.5 errors never colour output that is not a terminal, and --verbose adds the stack", async () => {
  const plain = await runCli(["chat", "--model-file", "/no/such/model.gguf", "hi"]);
  assert.equal(plain.code, 1);
  assert.ok(!plain.stderr.includes("\u001b["), "no colour escape codes");
  assert.equal(plain.stderr.trim().split("\n").length, 1);
  assert.match(plain.stderr, /\/no\/such\/model\.gguf/);
  const verbose = await runCli(["chat", "--verbose", "--model-file", "/no/such/model.gguf", "hi"]);
  assert.equal(verbose.code, 1);
  assert.match(verbose.stderr, /\n\s+at /, "a stack trace");
});

test("S4.4 S3 tiny-model writes the tiny test model", async () => {
  const path = join(await tempDir(), "tiny.gguf");
  const result = await runCli(["tiny-model", path]);
  assert.equal(result.code, 0, result.stderr);
  const bytes = await readFile(path);
  assert.equal(bytes.subarray(0, 4).toString("latin1"), "GGUF");
  assert.equal((await stat(path)).size, bytes.length);
  assert.match(result.stdout, /Wrote the tiny model/);
  const same = await readFile(await tinyModelPath());
  assert.ok(bytes.equals(same), "the same bytes as the tests' tiny model (same code, same defaults)");
  assert.equal((await runCli(["tiny-model"])).code, 2, "PATH is required");
});

test("issue 10 tiny-model writes larger random models from its dimension flags; a bad shape is a usage error", async () => {
  const dir = await tempDir();
  const path = join(dir, "medium.gguf");
  const flags = ["--embd", "128", "--layers", "3", "--ff", "256", "--heads", "8", "--kv-heads", "2"];
  const result = await runCli(["tiny-model", path, ...flags, "--eos-bias=-1000"]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /\(\d+ KB, 556160 parameters\)/);
  const same = await readFile(
    await tinyModelPath({ embd: 128, layers: 3, ff: 256, heads: 8, kvHeads: 2, eosBias: -1000 }),
  );
  assert.ok((await readFile(path)).equals(same), "the same bytes as writeTinyModel with those options");

  const badShape = await runCli(["tiny-model", join(dir, "bad.gguf"), "--embd", "30"]);
  assert.equal(badShape.code, 2);
  assert.equal(badShape.stderr, "ai-inference: error: --embd must be divisible by --heads.\n");
  const badNumber = await runCli(["tiny-model", join(dir, "bad.gguf"), "--layers", "0"]);
  assert.equal(badNumber.code, 2);
  assert.match(badNumber.stderr, /--layers must be an integer of at least 1, got "0"/);
  assert.deepEqual(await readdir(dir), ["medium.gguf"], "nothing written for a refused shape");
});

test("S4.2 offline, the default model fails within 10 s with exit code 1 and a message naming --model-file", async () => {
  const cache = await tempDir();
  // An unresolvable host stands for "no network", wherever the test runs.
  const result = await runCli(["chat", "hello"], {
    env: { XDG_CACHE_HOME: cache, AI_INFERENCE_MODEL_URL: "https://models.invalid/default.gguf" },
  });
  assert.equal(result.code, 1);
  assert.ok(result.elapsedMs < 10_000, `took ${Math.round(result.elapsedMs)} ms`);
  assert.match(result.stderr, /--model-file/);
  assert.match(result.stderr, /--endpoint/);
  assert.match(result.stderr, /models\.invalid/, "says what it tried");
  assert.equal(result.stderr.trim().split("\n").length, 1);
});

test("S4.2 a download server that never answers fails within the 5 s connect timeout", async (t) => {
  const server = await useLoopbackServer(t, { neverAnswer: true });
  const cache = await tempDir();
  const result = await runCli(["info"], {
    env: { XDG_CACHE_HOME: cache, AI_INFERENCE_MODEL_URL: `${server.url}/model.gguf` },
  });
  assert.equal(result.code, 1);
  assert.ok(result.elapsedMs < 10_000, `took ${Math.round(result.elapsedMs)} ms`);
  assert.match(result.stderr, /no response within 5 s/);
});

test("S4.2 the default model is downloaded once into the cache, with progress on stderr, then reused", async (t) => {
  const model = await readFile(await tinyModelPath());
  const server = await useLoopbackServer(t, {
    headers: { "content-type": "application/octet-stream" },
    body: model,
  });
  const cache = await tempDir();
  // A mirror serving another model than the default names its SHA-256 (issue 10: the file is checked).
  const env = {
    XDG_CACHE_HOME: cache,
    AI_INFERENCE_MODEL_URL: `${server.url}/model.gguf`,
    AI_INFERENCE_MODEL_SHA256: createHash("sha256").update(model).digest("hex"),
  };
  const first = await runCli(["info"], { env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /Downloading the default model .* from http:\/\/127\.0\.0\.1/);
  assert.match(first.stderr, /100% of|Downloaded/);
  assert.doesNotMatch(first.stdout, /Downloading/, "progress never goes to stdout");
  const cached = await readFile(join(cache, "ai-inference", "qwen2.5-0.5b-instruct-q4_k_m.gguf"));
  assert.ok(cached.equals(model));
  const second = await runCli(["info"], { env });
  assert.equal(second.code, 0);
  assert.equal(server.requests.length, 1, "the second run reused the cached file");
  assert.match(second.stdout, /model_name: /);
});

test("S4.2 --endpoint with --api-key sends the request there (a recorded Model Inference response)", async (t) => {
  const entry = loadRecording("test_chat_completions_with_json_input.json").entries[0];
  const server = await useLoopbackServer(t, {
    headers: { "content-type": "application/json" },
    body: entry.ResponseBody,
  });
  const result = await runCli([
    "chat",
    "--no-stream",
    "--endpoint",
    server.url,
    "--api-key",
    "secret-key-123",
    "How many feet in a mile?",
  ]);
  assert.equal(result.code, 0, result.stderr);
  const content = (entry.ResponseBody as { choices: { message: { content: string } }[] }).choices[0].message
    .content;
  assert.equal(result.stdout, `${content}\n`);
  const sent = server.requests[0];
  assert.equal(sent.path, "/chat/completions");
  assert.equal(sent.query["api-version"], "2024-05-01-preview");
  assert.equal(sent.headers["api-key"], "secret-key-123");
  assert.deepEqual((sent.json() as { messages: unknown[] }).messages, [
    { role: "user", content: "How many feet in a mile?" },
  ]);
});

test("S4.2 AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY are used when no --endpoint is given", async (t) => {
  const entry = loadRecording("test_chat_completions_with_json_input.json").entries[0];
  const server = await useLoopbackServer(t, {
    headers: { "content-type": "application/json" },
    body: entry.ResponseBody,
  });
  const result = await runCli(
    ["chat", "--no-stream", "--json", "--api-version", "none", "--system", "be brief", "hi"],
    {
      env: { AZURE_AI_CHAT_ENDPOINT: server.url, AZURE_AI_CHAT_KEY: "env-key-456" },
    },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), entry.ResponseBody, "--json prints the whole ChatCompletions");
  const sent = server.requests[0];
  assert.equal(sent.headers["api-key"], "env-key-456");
  assert.equal(sent.query["api-version"], undefined, "--api-version none sends none");
  assert.deepEqual((sent.json() as { messages: unknown[] }).messages, [
    { role: "system", content: "be brief" },
    { role: "user", content: "hi" },
  ]);
});

test("S4.1 a piped question is read from stdin", async (t) => {
  const entry = loadRecording("test_chat_completions_with_json_input.json").entries[0];
  const server = await useLoopbackServer(t, {
    headers: { "content-type": "application/json" },
    body: entry.ResponseBody,
  });
  const result = await runCli(["chat", "--no-stream", "--endpoint", server.url], {
    input: "What is in the pipe?\n",
  });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual((server.requests[0].json() as { messages: unknown[] }).messages, [
    { role: "user", content: "What is in the pipe?" },
  ]);
  const empty = await runCli(["chat", "--endpoint", server.url], { input: "" });
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /needs a question/);
});

test("S4.5 a service error is one line on stderr with exit code 1, and the key never appears", async (t) => {
  const entry = loadRecording("test_chat_completion_with_auth_failure.json").entries[0];
  const server = await useLoopbackServer(t, {
    status: 401,
    headers: { "content-type": "application/json" },
    body: entry.ResponseBody,
  });
  const result = await runCli([
    "chat",
    "--no-stream",
    "--endpoint",
    server.url,
    "--key",
    "super-secret-key-789",
    "hi",
  ]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /401/);
  assert.equal(result.stderr.trim().split("\n").length, 1);
  assert.doesNotMatch(result.stderr + result.stdout, /super-secret-key-789/);
});
