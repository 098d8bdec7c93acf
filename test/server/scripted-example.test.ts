// The documented example of testing an app's tool loop against the scripted engine (issue 14,
// docs/server.md "Testing an app offline") runs as its own test file, against the built package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("../../", import.meta.url));

test("issue 14 the example test of a tool loop against the scripted engine passes", async () => {
  // Without the runner's marker, the child reports as a test run of its own (TAP on stdout).
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "--test", "--test-reporter=tap", "examples/testing-a-tool-loop.test.ts"],
    { cwd: root, env },
  );
  assert.match(stdout, /^# pass 2$/m);
  assert.match(stdout, /^# fail 0$/m);
});
