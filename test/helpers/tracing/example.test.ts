// Issue 13: the documented example of a traced tool run runs against the local server with the
// tiny model and prints one trace: invoke_agent, its chat spans and its execute_tool spans.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("../../../", import.meta.url));

test("#13 OT19 the documented traced runTools example prints one trace: invoke_agent, its chat and execute_tool spans", async () => {
  const env = { ...process.env };
  delete env.AZURE_AI_CHAT_ENDPOINT;
  delete env.AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "examples/tracing-tool-loop.ts"],
    { cwd: root, env },
  );
  const [, rounds, calls] = /^(\d+) requests, (\d+) tool call\(s\)$/m.exec(stdout) ?? [];
  assert.ok(Number(calls) >= 1, stdout);
  assert.match(stdout, /^invoke_agent {2}\(usage\.input_tokens=\d+, usage\.output_tokens=\d+\)$/m);
  const chats = stdout.match(/^ {2}chat\b/gm) ?? [];
  assert.equal(chats.length, Number(rounds), "one chat span per request, under the run");
  const tools = stdout.match(
    /^ {2}execute_tool get_weather {2}\(tool\.call\.id="[^"]+", tool\.call\.arguments=.*tool\.call\.result=/gm,
  );
  assert.equal(tools?.length, Number(calls), "one execute_tool span per call, with content recorded");
  assert.match(stdout, new RegExp(`^${1 + Number(rounds) + Number(calls)} spans in 1 trace\\(s\\)$`, "m"));
});
