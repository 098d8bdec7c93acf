// Issue 12 on Node.js: the shared scenario against the packed package, as an ES module and through
// `require()` from CommonJS (require of ESM), on this Node.js and on the minimum that `engines.node`
// declares (installed from npm), then the server scenario with the server running in Node.js.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  clientEntrySource,
  inSequence,
  reportSteps,
  resultsFrom,
  resultsMarker,
  runToEnd,
  scenarioSteps,
  serveLogContext,
  serverEntrySource,
  serverScenarioSteps,
  startScenarioServers,
  writeScenarioModules,
} from "./support/harness.js";
import { minimumNodeVersion } from "../support/packed-package.js";

const servers = await startScenarioServers();
const { runDir, project } = servers;
await writeScenarioModules(runDir, "esm");
await writeScenarioModules(runDir, "cjs");

function runNode(node: string, entry: string, source: string) {
  return inSequence(async () => {
    await writeFile(join(runDir, entry), source);
    const run = await runToEnd(node, [entry], { cwd: runDir });
    return resultsFrom(run.stdout, run.stderr);
  });
}

// CommonJS: the scenario compiled to CommonJS calls require("ai-inference") for every import.
const cjsEntry = (runtime: string) =>
  `const { runScenario } = require("./scenario.cjs");\n` +
  `runScenario(${JSON.stringify(servers.config(runtime))}).then((results) => ` +
  `console.log(${JSON.stringify(resultsMarker)} + JSON.stringify(results)));\n`;

const nodes = [
  [`Node.js ${process.version}`, process.execPath, "current"],
  [`Node.js v${minimumNodeVersion} (engines.node)`, project.minimumNode, "minimum"],
] as const;

const context = serveLogContext(servers);
for (const [label, node, tag] of nodes) {
  reportSteps(
    `${label}, ESM`,
    scenarioSteps,
    runNode(node, `esm-${tag}.mjs`, clientEntrySource(servers.config(`node-esm-${tag}`))),
    context,
  );
  reportSteps(
    `${label}, require() from CommonJS`,
    scenarioSteps,
    runNode(node, `cjs-${tag}.cjs`, cjsEntry(`node-cjs-${tag}`)),
    context,
  );
}
reportSteps(
  `Node.js ${process.version}, the server running in Node.js`,
  serverScenarioSteps,
  runNode(process.execPath, "server.mjs", serverEntrySource(servers, "node")),
);
