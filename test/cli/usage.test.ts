// The command line's conventions under real use (issue 10, S4.5): usage errors are caught before
// anything loads or downloads, `--` ends the options, help pages say what each command reads, and
// a reader that leaves early is no failure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cliPath, runCli } from "../support/run-cli.js";
import { useLoopbackServer } from "../support/loopback-server.js";
import { loadRecording } from "../support/recordings.js";
import { tinyModelPath } from "../support/tiny-model.js";
import { missingNodeLlamaCppMessage } from "../../src/server/index.js";

const tempDir = () => mkdtemp(join(tmpdir(), "ai-inference-usage-"));

test("issue 10 S4.5 usage errors exit 2 with one line in flag words, before any model loads or downloads", async (t) => {
  const mirror = await useLoopbackServer(t, { status: 500 });
  const env = { XDG_CACHE_HOME: await tempDir(), AI_INFERENCE_MODEL_URL: `${mirror.url}/model.gguf` };
  const cases: [string[], RegExp, Record<string, string>?][] = [
    [["serve", "--port", "80800"], /--port must be an integer from 0 to 65535, got "80800"/],
    [["serve", "--api-key", ""], /--api-key must not be empty/],
    [["serve", "--threads", "0"], /--threads must be an integer of at least 1/],
    [["serve", "--shutdown-deadline", "soon"], /--shutdown-deadline must be a number/],
    [["serve", "--frobnicate"], /serve: unknown option '--frobnicate'/],
    [["serve", "extra"], /serve takes no arguments, got "extra"/],
    [["chat", "--endpoint", "notaurl", "hi"], /--endpoint must be an http or https URL, got "notaurl"/],
    [["info", "--endpoint", "ftp://example.com"], /--endpoint must be an http or https URL/],
    [["chat", "--endpoint", "http://127.0.0.1:9", "--api-key", "", "hi"], /--api-key must not be empty/],
    [["embed", "--threads", "two", "text"], /--threads must be an integer/],
    [
      ["chat", "hi"],
      /AZURE_AI_CHAT_ENDPOINT must be an http or https URL, got "nope"/,
      { AZURE_AI_CHAT_ENDPOINT: "nope" },
    ],
  ];
  for (const [args, message, extra] of cases) {
    const result = await runCli(args, { env: { ...env, ...extra } });
    assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message, args.join(" "));
    assert.equal(result.stderr.trim().split("\n").length, 1, args.join(" "));
  }
  assert.equal(mirror.requests.length, 0, "no download was started");
});

test("issue 10 S4.5 after --, arguments are the question even when they look like options: chat -- -h asks -h", async (t) => {
  const entry = loadRecording("test_chat_completions_with_json_input.json").entries[0];
  const server = await useLoopbackServer(t, {
    headers: { "content-type": "application/json" },
    body: entry.ResponseBody,
  });
  const result = await runCli(["chat", "--no-stream", "--endpoint", server.url, "--", "-h", "--verbose"]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual((server.requests[0].json() as { messages: unknown[] }).messages, [
    { role: "user", content: "-h --verbose" },
  ]);
});

test("issue 10 S4.5 --help lists --verbose and the environment variables each command reads", async () => {
  const expected: Record<string, string[]> = {
    chat: [
      "AZURE_AI_CHAT_ENDPOINT",
      "AZURE_AI_CHAT_KEY",
      "XDG_CACHE_HOME",
      "AI_INFERENCE_MODEL_URL",
      "HTTPS_PROXY",
      "NO_COLOR",
    ],
    info: ["AZURE_AI_CHAT_ENDPOINT", "AZURE_AI_CHAT_KEY", "XDG_CACHE_HOME"],
    embed: ["AZURE_AI_EMBEDDINGS_ENDPOINT", "AZURE_AI_EMBEDDINGS_KEY", "AI_INFERENCE_MODEL_SHA256"],
    serve: ["XDG_CACHE_HOME", "AI_INFERENCE_MODEL_URL", "AI_INFERENCE_MODEL_SHA256", "--shutdown-deadline"],
    "tiny-model": ["NO_COLOR"],
  };
  for (const [command, names] of Object.entries(expected)) {
    const result = await runCli([command, "--help"]);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /--verbose\s+print stack traces/, command);
    assert.match(result.stdout, /\nEnvironment:\n/, command);
    for (const name of names) assert.ok(result.stdout.includes(name), `${command} --help names ${name}`);
  }
  const serve = await runCli(["serve", "--help"]);
  assert.doesNotMatch(serve.stdout, /AZURE_AI_CHAT_ENDPOINT/, "serve reads no endpoint");
});

test("issue 10 S4.2 serve's offline error names --model-file and not --endpoint, which serve has no use for", async () => {
  const result = await runCli(["serve", "--port", "0"], {
    env: { XDG_CACHE_HOME: await tempDir(), AI_INFERENCE_MODEL_URL: "https://models.invalid/model.gguf" },
  });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /--model-file PATH to serve/);
  assert.doesNotMatch(result.stderr, /--endpoint/);
});

test("issue 10 S4.5 chat | head -c 20: the reader leaving early ends the CLI quietly with exit code 0", async () => {
  const model = await tinyModelPath({ eosBias: -1000 });
  const child = spawn(
    process.execPath,
    [cliPath, "chat", "--model-file", model, "--max-tokens", "1500", "go"],
    {
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
    },
  );
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  let received = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    received += chunk.length;
    if (received >= 20) child.stdout.destroy(); // what `head -c 20` does once it has its bytes
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.ok(received >= 20);
  assert.equal(code, 0, stderr);
  assert.equal(stderr, "", "no EPIPE stack");
});

test("issue 10 S2.2 a missing node-llama-cpp is reported before any download starts", async (t) => {
  const mirror = await useLoopbackServer(t, { status: 500 });
  // The built CLI in a folder of its own whose node_modules has everything but node-llama-cpp.
  const root = await tempDir();
  const repository = fileURLToPath(new URL("../../", import.meta.url));
  await cp(join(repository, "dist"), join(root, "dist"), { recursive: true });
  await cp(join(repository, "package.json"), join(root, "package.json"));
  await mkdir(join(root, "node_modules"));
  for (const name of await readdir(join(repository, "node_modules"))) {
    if (name === "node-llama-cpp" || name === ".bin" || name.startsWith(".")) continue;
    await symlink(join(repository, "node_modules", name), join(root, "node_modules", name));
  }
  await writeFile(join(root, "marker"), "");
  const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(root, "dist", "cli.js"), "chat", "hi"], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: root,
        XDG_CACHE_HOME: root,
        AI_INFERENCE_MODEL_URL: `${mirror.url}/model.gguf`,
      },
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    child.on("close", (code) => resolve({ code, stderr }));
  });
  assert.equal(result.code, 1);
  assert.ok(result.stderr.includes(missingNodeLlamaCppMessage), result.stderr);
  assert.equal(mirror.requests.length, 0, "nothing was downloaded");
});
