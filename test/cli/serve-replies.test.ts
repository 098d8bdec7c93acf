// `ai-inference serve --replies FILE` (issue 14): the scripted engine from the command line, read
// by the CLI's own chat command, and the usage mistakes around it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, startServeProcess } from "../support/run-cli.js";
import { tempFiles } from "../support/temp-files.js";

test("issue 14 serve --replies answers from the script over HTTP, in order, then says it ran out", async (t) => {
  const dir = await tempFiles(t, {
    "replies.jsonl":
      '// a greeting, then a streamed answer\n{"content": "Hello from the script."}\n{"content": ["Second ", "answer."]}\n',
  });
  const serve = await startServeProcess(["--replies", join(dir, "replies.jsonl"), "--port", "0"]);
  try {
    assert.match(serve.stdout(), /Serving the script .*replies\.jsonl \(2 replies\)/);
    const chat = (question: string) =>
      runCli(["chat", "--endpoint", serve.url, "--api-version", "none", question]);
    const first = await chat("hi");
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), "Hello from the script.");
    assert.equal((await chat("again")).stdout.trim(), "Second answer.");
    const third = await chat("more?");
    assert.equal(third.code, 1);
    assert.match(third.stderr, /500 The script has no reply left/);
  } finally {
    serve.child.kill("SIGTERM");
  }
  assert.equal(await serve.exited, 0);
});

test("issue 14 serve: a bad script fails at start naming its line; two sources are a usage error", async (t) => {
  const dir = await tempFiles(t, {
    "bad.jsonl": '{"content": "ok"}\n{"conten": "typo"}\n',
    "u.yaml": "deployments: []\n",
  });
  const bad = await runCli(["serve", "--replies", join(dir, "bad.jsonl"), "--port", "0"]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /bad\.jsonl line 2: unknown key "conten"/);
  const both = await runCli(["serve", "--replies", join(dir, "bad.jsonl"), "--model-file", "x.gguf"]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /give one of --model-file, --replies, not several/);
  const upstreams = await runCli(["serve", "--upstreams", join(dir, "u.yaml")]);
  assert.equal(upstreams.code, 2);
  assert.match(upstreams.stderr, /u\.yaml: deployments must be a non-empty list/);
});
