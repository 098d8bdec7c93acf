// Issue 12 on Bun (from the `bun` npm package): the shared scenario importing the packed package from
// node_modules, with auto-install off so that a dependency missing from the package fails; then
// the local server running inside Bun (node-llama-cpp through Bun's Node-API).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  clientEntrySource,
  inSequence,
  reportSteps,
  resultsFrom,
  runToEnd,
  scenarioSteps,
  serveLogContext,
  serverEntrySource,
  serverScenarioSteps,
  startScenarioServers,
  writeScenarioModules,
} from "./support/harness.js";
import { repoRoot } from "../support/packed-package.js";

const bun = join(repoRoot, "node_modules/.bin/bun");
const servers = await startScenarioServers();
const { runDir } = servers;
await writeScenarioModules(runDir, "esm");
const env = { DO_NOT_TRACK: "1", BUN_INSTALL_CACHE_DIR: join(runDir, ".bun-cache") };
const version = `Bun ${(await runToEnd(bun, ["--version"], { cwd: runDir, env })).stdout.trim()}`;

function runBun(entry: string, source: string) {
  return inSequence(async () => {
    await writeFile(join(runDir, entry), source);
    const run = await runToEnd(bun, ["run", "--no-install", entry], { cwd: runDir, env });
    return resultsFrom(run.stdout, run.stderr);
  });
}

reportSteps(
  version,
  scenarioSteps,
  runBun("client.mjs", clientEntrySource(servers.config("bun"))),
  serveLogContext(servers),
);
reportSteps(
  `${version}, the server in Bun`,
  serverScenarioSteps,
  runBun("server.mjs", serverEntrySource(servers, "bun")),
);
