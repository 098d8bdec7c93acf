// The two servers of the throughput benchmark, each in its own process so that neither shares the
// benchmark's event loop: `ai-inference serve` (this repository's build) and llama.cpp's
// `llama-server`, on the same GGUF file with the same slots, threads and context per slot.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export interface ServerProcess {
  readonly name: string;
  /** The base URL: `${url}/chat/completions` answers. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface ServerSetup {
  modelPath: string;
  /** Generations at once: `--max-concurrent` / `-np`. */
  slots: number;
  /** Requests waiting beyond the slots (serve's `--max-queue`). */
  queue?: number;
  /** Tokens per slot (serve's default is the model's 2048). */
  contextPerSlot: number;
  /** Where llama-server's log goes. */
  logPath: string;
}

const cli = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));
const running = new Set<ChildProcess>();
// A benchmark that throws must not leave servers behind.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** `ai-inference serve` on a free port; resolves once it prints its address. */
export async function startServe(
  setup: ServerSetup,
  variant: { name: string; env?: NodeJS.ProcessEnv } = { name: "serve" },
): Promise<ServerProcess> {
  const args = [cli, "serve", "--model-file", setup.modelPath, "--port", "0", "--threads", "1"];
  args.push("--max-concurrent", String(setup.slots));
  if (setup.queue !== undefined) args.push("--max-queue", String(setup.queue));
  // Its request log goes to stderr, which is dropped: llama-server logs as much.
  const child = track(
    spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, ...variant.env },
    }),
  );
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`serve exited with ${code} before listening.`);
  });
  const listening = (async () => {
    for await (const line of lines) {
      const url = line.match(/^Serving .* at (http:\/\/\S+)$/)?.[1];
      if (url) return url;
    }
    throw new Error("serve closed its output before listening.");
  })();
  const url = await Promise.race([listening, exited]);
  return { name: variant.name, url, stop: () => stop(child) };
}

/** llama.cpp's `llama-server` on a free port; resolves once `/health` answers 200. */
export async function startLlamaServer(binary: string, setup: ServerSetup): Promise<ServerProcess> {
  const port = await freePort();
  const args = [
    ...["-m", setup.modelPath, "--host", "127.0.0.1", "--port", String(port)],
    ...["-t", "1", "-tb", "1", "-np", String(setup.slots)],
    // llama-server splits -c among its slots; serve gives each sequence its own context.
    ...["-c", String(setup.contextPerSlot * setup.slots), "-ngl", "0", "--no-webui"],
  ];
  const log = openSync(setup.logPath, "w");
  const child = track(spawn(binary, args, { stdio: ["ignore", log, log] }));
  closeSync(log); // the child has its own copy
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`llama-server exited with ${child.exitCode}; see ${setup.logPath}.`);
    const healthy = await fetch(`${url}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return { name: "llama-server", url, stop: () => stop(child) };
    await sleep(100);
  }
  await stop(child);
  throw new Error(`llama-server did not become healthy within 60 s; see ${setup.logPath}.`);
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once("exit", () => running.delete(child));
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
