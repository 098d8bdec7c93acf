// Issue 12 on Deno (from the `deno` npm package): the shared scenario importing the packed package
// from node_modules as a Deno user with a package.json would, with network access to loopback
// only; then the local server running inside Deno (node-llama-cpp through Node-API).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  clientEntrySource,
  inSequence,
  reportSteps,
  resultsFrom,
  runToEnd,
  serveLogContext,
  serverEntrySource,
  scenarioSteps,
  serverScenarioSteps,
  startScenarioServers,
  writeScenarioModules,
} from "./support/harness.js";
import { repoRoot } from "../support/packed-package.js";

const deno = join(repoRoot, "node_modules/.bin/deno");
const servers = await startScenarioServers();
const { runDir } = servers;
await writeScenarioModules(runDir, "esm");
const env = { DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1", DENO_DIR: join(runDir, ".deno") };
const version = (await runToEnd(deno, ["--version"], { cwd: runDir, env })).stdout.split("\n")[0];

function runDeno(permissions: string[], entry: string, source: string) {
  return inSequence(async () => {
    await writeFile(join(runDir, entry), source);
    const run = await runToEnd(deno, ["run", ...permissions, entry], { cwd: runDir, env });
    return resultsFrom(run.stdout, run.stderr);
  });
}

reportSteps(
  `${version}, --allow-net=127.0.0.1 only`,
  scenarioSteps,
  runDeno(["--allow-net=127.0.0.1"], "client.mjs", clientEntrySource(servers.config("deno"))),
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
  runDeno(serverPermissions, "server.mjs", serverEntrySource(servers, "deno")),
);
