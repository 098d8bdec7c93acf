// Issue 12 on Bun (from the `bun` npm package): the shared scenario importing the packed package from
// node_modules, with auto-install off so that a dependency missing from the package fails; then
// the local server running inside Bun (node-llama-cpp through Bun's Node-API).
import { join } from "node:path";
import {
  clientEntrySource,
  prepareScenario,
  reportSteps,
  runScenarioIn,
  scenarioSteps,
  serveLogContext,
  serverEntrySource,
  serverScenarioSteps,
  versionOf,
} from "./support/harness.js";
import { repoRoot } from "../support/packed-package.js";

const servers = await prepareScenario();
const bun = {
  command: join(repoRoot, "node_modules/.bin/bun"),
  args: ["run", "--no-install"],
  env: { DO_NOT_TRACK: "1", BUN_INSTALL_CACHE_DIR: join(servers.runDir, ".bun-cache") },
};
const version = `Bun ${await versionOf(servers, bun)}`;

reportSteps(
  version,
  scenarioSteps,
  runScenarioIn(servers, bun, "client.mjs", clientEntrySource(servers.config("bun"))),
  serveLogContext(servers),
);
reportSteps(
  `${version}, the server in Bun`,
  serverScenarioSteps,
  runScenarioIn(servers, bun, "server.mjs", serverEntrySource(servers, "bun")),
);
