import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("../../../", import.meta.url));

test("TL11 the documented example runs against the local server with the tiny model", async () => {
  const env = { ...process.env };
  delete env.AZURE_AI_CHAT_ENDPOINT;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "examples/tool-loop.ts"],
    {
      cwd: root,
      env,
    },
  );
  assert.match(stdout, /^round 1: get_weather\(\{"city":.*\}\) → success: \{"city":/m);
  assert.match(stdout, /^\d+ requests; maxRoundsReached: (true|false)$/m);
  assert.match(stdout, /^conversation: user → assistant → tool → /m);
  assert.match(stdout, /^\[get_weather → \{"city":/m);
  assert.match(stdout, /^streamed run: \d+ requests$/m);
  // #13: approvals, stopWhen, onRoundFinish, usage, a pending call.
  assert.match(stdout, /^approve get_weather\(\{"city":.*\}\)\? yes$/m);
  assert.match(stdout, /^round 1 finished: 1 call\(s\)$/m);
  assert.match(stdout, /^stopped by stopWhen; usage: \d+ tokens$/m);
  assert.match(stdout, /^pending: get_weather\(\{"city":/m);
  // #13: a structured final answer, with prepareRound and parallelToolCalls: false.
  assert.match(stdout, /^structured answer after \d+ rounds: \{"city":".*","umbrella":(true|false)\}$/m);
});
