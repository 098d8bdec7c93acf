// Runs the built `ai-inference` binary (dist/cli.js) as a child process, as a user would, and
// collects its exit code and output; or starts `serve` and hands over its URL once it listens.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const cliPath = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export interface RunCliOptions {
  /** Added to a minimal environment (PATH, HOME); the parent's AZURE_* variables never leak in. */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed; without it stdin is closed at once. */
  input?: string;
  /** Kills the process after this long (a test that hangs fails instead). @default 60000 */
  killAfterMs?: number;
}

/** A minimal environment (PATH, HOME) plus `extra`: the parent's AZURE_* variables never leak in. */
function cliEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...extra };
}

export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: cliEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  child.stdin.end(options.input ?? "");
  const killer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}

export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** The base URL that serve printed ("... at http://127.0.0.1:PORT"). */
  readonly url: string;
  /** Resolves when the process has ended: to its exit code, or to the signal's name if one killed it. */
  readonly exited: Promise<number | string | null>;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Everything written to stderr so far. */
  stderr(): string;
}

export interface ServeProcessOptions {
  /** Added to a minimal environment (PATH, HOME), as for runCli. */
  env?: Record<string, string>;
  /** Kills the process after this long, so a test that forgets it fails instead of hanging. @default 300000 */
  killAfterMs?: number;
}

/**
 * Starts `ai-inference serve ARGS` (give it `--port 0`) and resolves once it prints the URL it
 * listens on; rejects, with its stderr, if it exits before. The caller stops it (child.kill).
 */
export async function startServeProcess(
  args: string[],
  options: ServeProcessOptions = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, "serve", ...args], { env: cliEnv(options.env) });
  let stdout = "";
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const killer = setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 300_000);
  const exited = new Promise<number | string | null>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      resolve(code ?? signal);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
      const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`serve exited early: ${stderr}`)));
  });
  return { child, url, exited, stdout: () => stdout, stderr: () => stderr };
}
