// Issue 12 on Deno (from the `deno` npm package): the shared scenario importing the packed package
// from node_modules as a Deno user with a package.json would, with network access to loopback
// only; then the local server running inside Deno (node-llama-cpp through Node-API).
import { join } from "node:path";
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type Launch,
  clientEntrySource,
  prepareScenario,
  reportSteps,
  resultsMarker,
  runFileIn,
  runScenarioIn,
  serveLogContext,
  serverEntrySource,
  scenarioSteps,
  serverScenarioSteps,
  versionOf,
} from "./support/harness.js";
import { repoRoot } from "../support/packed-package.js";

const servers = await prepareScenario();
const command = join(repoRoot, "node_modules/.bin/deno");
const env = { DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", DENO_DIR: join(servers.runDir, ".deno") };
const version = await versionOf(servers, { command, env });
const deno = (permissions: string[]): Launch => ({ command, args: ["run", ...permissions], env });

reportSteps(
  `${version}, --allow-net=127.0.0.1 only`,
  scenarioSteps,
  runScenarioIn(
    servers,
    deno(["--allow-net=127.0.0.1"]),
    "client.mjs",
    clientEntrySource(servers.config("deno")),
  ),
  serveLogContext(servers),
);
// The server reads the model file, loads a native addon (which reads the environment and the
// system's CPU facts, and spawns a probe of its binary): these are the permissions it needs.
const serverPermissions = [
  "--allow-read",
  "--allow-env",
  "--allow-ffi",
  "--allow-sys",
  "--allow-run",
  "--allow-net=127.0.0.1",
];
reportSteps(
  `${version}, the server in Deno`,
  serverScenarioSteps,
  runScenarioIn(servers, deno(serverPermissions), "server.mjs", serverEntrySource(servers, "deno")),
);

// Without a permission node-llama-cpp needs, createServer() fails in one line naming them all, and
// the process lives on (Deno's refusal to spawn would otherwise escape node-llama-cpp uncaught).
test("issue 12 in Deno without --allow-run, createServer() rejects in one line naming the permissions", async () => {
  const run = await runFileIn(
    servers,
    deno(serverPermissions.filter((flag) => flag !== "--allow-run")),
    "server-refused.mjs",
    `import { createServer } from "ai-inference/server";\n` +
      `const outcome = await createServer({ modelPath: ${JSON.stringify(servers.modelPath)}, log: false }).then(\n` +
      `  (server) => server.close().then(() => "started"),\n` +
      `  (error) => error.message,\n` +
      `);\n` +
      `console.log(${JSON.stringify(resultsMarker)} + JSON.stringify(outcome));\n`,
  );
  assert.equal(run.code, 0, run.stderr);
  const line = run.stdout.split("\n").find((l) => l.startsWith(resultsMarker));
  assert.ok(line, run.stdout + run.stderr);
  assert.equal(
    JSON.parse(line.slice(resultsMarker.length)),
    "The local model engine needs these Deno permissions: " +
      "--allow-read --allow-env --allow-ffi --allow-sys --allow-run (missing: --allow-run).",
  );
});
