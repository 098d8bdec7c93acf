// What every runtime's test file shares (issue 12): the packed package installed in a temporary
// project, `serve` from that install with the tiny model and CORS on loopback, the fault proxy, the
// shared scenario compiled next to the install, and one node:test test per scenario step.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { build } from "esbuild";
import { type PackedProject, packedProject, repoRoot, runToEnd } from "../../support/packed-package.js";
import { tinyModelPath } from "../../support/tiny-model.js";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.js";
import type { ScenarioConfig, StepResult } from "../scenario.js";

export { scenarioSteps } from "../scenario.js";
export { serverScenarioSteps } from "../server-scenario.js";

export const serveApiKey = "runtime-scenario-key";

export interface ScenarioServers {
  readonly project: PackedProject;
  /** A folder inside the packed project for this test file's generated files. */
  readonly runDir: string;
  readonly serveUrl: string;
  readonly proxy: FaultProxy;
  readonly modelPath: string;
  /** The scenario's configuration for `runtime`. */
  config(runtime: string): ScenarioConfig;
  /** What `serve` wrote to stderr so far (its request log), for failure messages. */
  serveLog(): string;
}

/**
 * Every runtime file's start: the packed install, `serve` and the fault proxy (startScenarioServers),
 * with the scenario compiled into the run folder in each of `formats`.
 */
export async function prepareScenario(
  formats: readonly ("esm" | "cjs")[] = ["esm"],
): Promise<ScenarioServers> {
  const servers = await startScenarioServers();
  for (const format of formats) await writeScenarioModules(servers.runDir, format);
  return servers;
}

/** How a runtime runs a file of the run folder: `command ...args FILE`, in the run folder. */
export interface Launch {
  readonly command: string;
  readonly args?: readonly string[];
  /** Added to the environment. */
  readonly env?: Record<string, string>;
}

/** The first line that `command --version` prints ("deno 2.9.6 (...)", "workerd 2026-11-23", "1.4.5"). */
export async function versionOf(servers: ScenarioServers, launch: Omit<Launch, "args">): Promise<string> {
  const run = await runToEnd(launch.command, ["--version"], { cwd: servers.runDir, env: launch.env });
  return run.stdout.trim().split("\n")[0];
}

/**
 * Writes `source` as `entry` in the run folder and runs it with `launch` to its end, after every
 * runtime queued before (inSequence).
 */
export function runFileIn(
  servers: ScenarioServers,
  launch: Launch,
  entry: string,
  source: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return inSequence(async () => {
    await writeFile(join(servers.runDir, entry), source);
    const args = [...(launch.args ?? []), entry];
    return runToEnd(launch.command, args, { cwd: servers.runDir, env: launch.env });
  });
}

/** runFileIn() for an entry that prints the scenario's results (clientEntrySource, serverEntrySource). */
export async function runScenarioIn(
  servers: ScenarioServers,
  launch: Launch,
  entry: string,
  source: string,
): Promise<StepResult[]> {
  const run = await runFileIn(servers, launch, entry, source);
  return resultsFrom(run.stdout, run.stderr);
}

/** Packs and installs the package, starts `serve` from the install and the fault proxy; stopped after the file. */
export async function startScenarioServers(): Promise<ScenarioServers> {
  const project = await packedProject();
  const modelPath = await tinyModelPath();
  const runDir = await mkdtemp(join(project.dir, "run-"));
  after(() => rm(runDir, { recursive: true, force: true }));
  const proxy = await startFaultProxy();
  after(() => proxy.close());
  const serve = await startServe(project, modelPath);
  after(() => stopProcess(serve.child));
  return {
    project,
    runDir,
    serveUrl: serve.url,
    proxy,
    modelPath,
    config: (runtime) => ({ runtime, endpoint: serve.url, apiKey: serveApiKey, faultProxy: proxy.url }),
    serveLog: serve.log,
  };
}

/** `ai-inference serve` through the install's bin link, as a user would start it. */
async function startServe(
  project: PackedProject,
  modelPath: string,
): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  const args = ["serve", "--model-file", modelPath, "--port", "0", "--threads", "1"];
  args.push("--api-key", serveApiKey, "--cors-origin", "*");
  const child = spawn(join(project.dir, "node_modules/.bin/ai-inference"), args, {
    cwd: project.dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in 60 s:\n${stdout}\n${stderr}`)),
      60_000,
    );
    child.stdout!.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
      const found = / at (http:\/\/\S+)/.exec(stdout);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return { child, url, log: () => stderr };
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(killer);
}

/**
 * Compiles the shared scenario (and the server scenario) into `dir` for runtimes that run files:
 * bare imports stay as they are, so "ai-inference" resolves to the packed install.
 */
export async function writeScenarioModules(dir: string, format: "esm" | "cjs"): Promise<void> {
  const extension = format === "esm" ? ".mjs" : ".cjs";
  await build({
    entryPoints: {
      scenario: join(repoRoot, "test/runtimes/scenario.ts"),
      "server-scenario": join(repoRoot, "test/runtimes/server-scenario.ts"),
    },
    outdir: dir,
    outExtension: { ".js": extension },
    bundle: true,
    packages: "external",
    format,
    platform: "neutral",
    target: "es2022",
    logLevel: "error",
  });
}

/** The marker before the results' JSON on a runtime's standard output. */
export const resultsMarker = "SCENARIO-RESULTS ";

/** The last results line in `stdout`; fails with the whole output when there is none. */
export function resultsFrom(stdout: string, stderr: string): StepResult[] {
  const line = stdout
    .split("\n")
    .reverse()
    .find((l) => l.startsWith(resultsMarker));
  if (line === undefined)
    throw new Error(`The runtime printed no results.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  return JSON.parse(line.slice(resultsMarker.length)) as StepResult[];
}

/**
 * One test per expected step, named after the runtime: each fails with the runtime's own message,
 * or, when the runtime never reported the step (it crashed, or did not start), with its output.
 */
export function reportSteps(
  runtime: string,
  steps: readonly string[],
  outcome: Promise<StepResult[]>,
  context: () => string = () => "",
): void {
  outcome.catch(() => {}); // each test below reports the failure
  for (const name of steps) {
    test(`issue 12, ${runtime}: ${name}`, async (t) => {
      let results: StepResult[];
      try {
        results = await outcome;
      } catch (error) {
        assert.fail(`${runtime} did not run the scenario: ${(error as Error).message}${context()}`);
      }
      const result = results.find((r) => r.name === name);
      assert.ok(result, `${runtime} reported no result for this step${context()}`);
      assert.ok(result.ok, `${result.detail}${context()}`);
      t.diagnostic(`${result.detail} (${result.durationMs} ms in ${runtime})`);
    });
  }
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `body` after every body queued before it, so that runtimes do not compete for the two cores. */
export function inSequence<T>(body: () => Promise<T>): Promise<T> {
  const result = queue.then(body);
  queue = result.catch(() => {});
  return result;
}

/** An ES module that runs the scenario and prints its results (Node.js, Deno, Bun). */
export function clientEntrySource(config: ScenarioConfig): string {
  return (
    `import { runScenario } from "./scenario.mjs";\n` +
    `console.log(${JSON.stringify(resultsMarker)} + JSON.stringify(await runScenario(${JSON.stringify(config)})));\n`
  );
}

/** An ES module that runs the server scenario inside the runtime and prints its results. */
export function serverEntrySource(servers: ScenarioServers, runtime: string): string {
  const config = { runtime, modelPath: servers.modelPath, faultProxy: servers.proxy.url };
  return (
    `import { runServerScenario } from "./server-scenario.mjs";\n` +
    `console.log(${JSON.stringify(resultsMarker)} + JSON.stringify(await runServerScenario(${JSON.stringify(config)})));\n`
  );
}

/** `serve`'s request log, for the failure messages of the steps that talk to it. */
export function serveLogContext(servers: ScenarioServers): () => string {
  return () => `\nserve's log (end):\n${servers.serveLog().slice(-3000)}`;
}
