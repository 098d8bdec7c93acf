// Runs the built `ai-inference` binary (dist/cli.js) as a child process, as a user would, and
// collects its exit code and output.
import { spawn } from "node:child_process";
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

export function runCli(args: string[], options: RunCliOptions = {}): Promise<CliResult> {
  const started = performance.now();
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...options.env },
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
