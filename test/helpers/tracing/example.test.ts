// The documented tracing examples run against the local server with the tiny model. Issue 13: the
// traced tool run prints one trace (invoke_agent, its chat spans and its execute_tool spans);
// OT15: examples/tracing-local-server.ts prints a chat span and a streamed chat span.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** Runs `examples/<name>` as its header says (tsx, the built package); rejects when it fails. */
async function runExample(name: string): Promise<{ stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.AZURE_AI_CHAT_ENDPOINT;
  delete env.AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED;
  return promisify(execFile)(process.execPath, ["--import", "tsx", `examples/${name}`], { cwd: root, env });
}

test("#13 OT19 the documented traced runTools example prints one trace: invoke_agent, its chat and execute_tool spans", async () => {
  const { stdout } = await runExample("tracing-tool-loop.ts");
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

test("OT15 the documented examples/tracing-local-server.ts prints a chat span and a streamed chat span, content recorded", async () => {
  const { stdout, stderr } = await runExample("tracing-local-server.ts");
  assert.doesNotMatch(stderr, /Error/);
  assert.match(stdout, /^answer: \S/m, "the call's answer is printed");
  // ConsoleSpanExporter prints each span as an object; the streamed text runs on into the second one.
  const spans = stdout.split(/\{\n {2}resource: /).slice(1);
  assert.equal(spans.length, 2, stdout);
  for (const span of spans) {
    assert.match(span, /^ {2}name: 'chat',$/m);
    assert.match(span, /^ {2}kind: 2,$/m, "a client span");
    assert.match(span, /^ {4}name: 'ai-inference',$/m, "the SDK's instrumentation scope");
    assert.match(span, /'gen_ai\.request\.max_tokens': 12,/);
    assert.match(span, /'gen_ai\.response\.model': 'tiny-random-llama',/);
    assert.match(span, /'gen_ai\.usage\.output_tokens': ([1-9]|1[0-2]),/);
    // The answer is quoted with backticks when it holds a single quote (util.inspect).
    assert.match(span, /'gen_ai\.output\.messages': ['`]\[\{"role":"assistant"/, "content is recorded");
    assert.match(span, /^ {2}status: \{ code: 0 \},$/m);
  }
  const [call, stream] = spans;
  assert.match(call, /'gen_ai\.request\.stream': false,/);
  assert.match(
    call,
    /'gen_ai\.input\.messages': '\[\{"role":"user","parts":\[\{"type":"text","content":"Hello!"\}\]\}\]',/,
  );
  assert.match(stream, /'gen_ai\.request\.stream': true,/);
  assert.match(stream, /"content":"Count\."/);
  assert.match(stream, /'gen_ai\.response\.time_to_first_chunk': \d/);
  assert.match(stream, /'ai_inference\.stream\.end': 'done'/, "the stream was read to its end");
});
