import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const root = fileURLToPath(new URL("../../../", import.meta.url));

test("SO12 the documented example runs against the local server with the tiny model", async () => {
  const env = { ...process.env };
  delete env.AZURE_AI_CHAT_ENDPOINT;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "examples/structured-outputs.ts"],
    {
      cwd: root,
      env,
    },
  );
  assert.match(stdout, /^Zod: /m);
  assert.match(stdout, /^JSON Schema: \{ city: .*, tall: (true|false) \}$/m);
  assert.match(stdout, /^partial: \{\}$/m);
  assert.match(stdout, /^streamed: \d+ partial objects, then/m);
  assert.match(stdout, /^strict: \{ city: .*when: /m);
  assert.match(stdout, /^sent as: \{"type":"json_schema","json_schema":\{"name":"landmark"/m);
  assert.match(stdout, /^StructuredOutputLengthError: finish_reason length, raw content "\{/m);
});
