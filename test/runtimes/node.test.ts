// Issue 12 on Node.js: the shared scenario against the packed package, as an ES module and through
// `require()` from CommonJS (require of ESM), on this Node.js and on the minimum that `engines.node`
// declares (installed from npm), then the server scenario with the server running in Node.js.
import {
  clientEntrySource,
  prepareScenario,
  reportSteps,
  resultsMarker,
  runScenarioIn,
  scenarioSteps,
  serveLogContext,
  serverEntrySource,
  serverScenarioSteps,
} from "./support/harness.js";
import { minimumNodeVersion } from "../support/packed-package.js";

const servers = await prepareScenario(["esm", "cjs"]);
const runNode = (node: string, entry: string, source: string) =>
  runScenarioIn(servers, { command: node }, entry, source);

// CommonJS: the scenario compiled to CommonJS calls require("ai-inference") for every import.
const cjsEntry = (runtime: string) =>
  `const { runScenario } = require("./scenario.cjs");\n` +
  `runScenario(${JSON.stringify(servers.config(runtime))}).then((results) => ` +
  `console.log(${JSON.stringify(resultsMarker)} + JSON.stringify(results)));\n`;

const nodes = [
  [`Node.js ${process.version}`, process.execPath, "current"],
  [`Node.js v${minimumNodeVersion} (engines.node)`, servers.project.minimumNode, "minimum"],
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
