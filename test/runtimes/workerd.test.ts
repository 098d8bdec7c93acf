// Issue 12 on Cloudflare's workerd (from the `workerd` npm package): the shared scenario bundled as
// a worker with the `workerd`, `worker` and `browser` conditions (no Node.js compatibility flag),
// its outbound network allowed to reach loopback only, at compatibility date 2025-01-01 (before
// workerd had FinalizationRegistry) and at the newest date this workerd supports.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { after } from "node:test";
import { build } from "esbuild";
import {
  inSequence,
  prepareScenario,
  reportSteps,
  scenarioSteps,
  serveLogContext,
  stopProcess,
  versionOf,
} from "./support/harness.js";
import { repoRoot } from "../support/packed-package.js";
import type { ScenarioConfig, StepResult } from "./scenario.js";

const workerd = join(repoRoot, "node_modules/.bin/workerd");
const servers = await prepareScenario();
const { runDir } = servers;

// "workerd 2026-11-23": the build's date is the newest compatibility date it accepts.
const version = await versionOf(servers, { command: workerd });
const newestDate = /\d{4}-\d{2}-\d{2}/.exec(version)?.[0] ?? "";

await writeFile(
  join(runDir, "worker-entry.mjs"),
  `import { runScenario } from "./scenario.mjs";
export default {
  async fetch(request) {
    if (request.method !== "POST") return new Response("ready");
    return Response.json(await runScenario(await request.json()));
  },
};
`,
);
await build({
  entryPoints: [join(runDir, "worker-entry.mjs")],
  outfile: join(runDir, "worker.js"),
  bundle: true,
  format: "esm",
  platform: "browser",
  conditions: ["workerd", "worker", "browser"],
  target: "es2022",
  logLevel: "error",
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function workerConfig(date: string, port: number): string {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .scenarioWorker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const scenarioWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${date}",
  globalOutbound = "loopback",
);
`;
}

/** Starts workerd at `date`, runs the scenario in one request, and stops it. */
function runWorker(date: string, config: ScenarioConfig): Promise<StepResult[]> {
  return inSequence(async () => {
    const port = await freePort();
    const file = `config-${date}.capnp`;
    await writeFile(join(runDir, file), workerConfig(date, port));
    const child = spawn(workerd, ["serve", file], { cwd: runDir, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (output += text));
    after(() => stopProcess(child));
    try {
      const url = `http://127.0.0.1:${port}/`;
      const deadline = Date.now() + 30_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}`);
        const ready = await fetch(url).then(
          (r) => r.ok,
          () => false,
        );
        if (ready) break;
        if (Date.now() > deadline) throw new Error("workerd did not answer in 30 s");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const response = await fetch(url, { method: "POST", body: JSON.stringify(config) });
      const text = await response.text();
      if (!response.ok) throw new Error(`the worker answered ${response.status}: ${text}`);
      return JSON.parse(text) as StepResult[];
    } catch (error) {
      throw new Error(`${(error as Error).message}\nworkerd's output:\n${output}`);
    } finally {
      await stopProcess(child);
    }
  });
}

for (const date of ["2025-01-01", newestDate]) {
  reportSteps(
    `${version}, compatibility date ${date}`,
    scenarioSteps,
    runWorker(date, servers.config(`workerd-${date}`)),
    serveLogContext(servers),
  );
}
