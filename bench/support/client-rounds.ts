// The method of the client rows (perf-anchors.md §3), shared by bench/client.bench.ts and
// bench/router.bench.ts: a local chat server in its own process answering a fixed ~1 KB body, each
// contender run in a fresh process per round (bench/support/client-run.mjs, so that peak RSS is
// its own) in shuffled order each round, and ratios taken round by round against a reference.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { median } from "./harness.js";

export interface ClientRun {
  wallMs: number;
  cpuUsPerCall: number;
  peakRssMb: number;
}

export interface ClientRoundsOptions {
  readonly contenders: readonly string[];
  readonly reference: string;
  readonly calls: number;
  readonly concurrency: number;
  readonly warmup: number;
  readonly rounds: number;
}

/** Each contender's median wall time, CPU and peak RSS, and its ratios to the reference (medians of per-round ratios). */
export interface ClientRoundsResult {
  readonly name: string;
  readonly wallMs: number;
  readonly cpuUsPerCall: number;
  readonly peakRssMb: number;
  readonly wallRatio: number;
  readonly cpuRatio: number;
  readonly rssRatio: number;
}

export async function runClientRounds(options: ClientRoundsOptions): Promise<ClientRoundsResult[]> {
  const { contenders, reference, calls, concurrency, warmup, rounds } = options;
  const server = spawn(process.execPath, ["bench/support/chat-server.mjs"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [firstLine] = (await once(createInterface({ input: server.stdout! }), "line")) as [string];
  const { port, bytes } = JSON.parse(firstLine) as { port: number; bytes: number };
  console.log(
    `server on port ${port} (its own process), reply ${bytes} bytes; ${calls} calls at concurrency ${concurrency}, ${rounds} rounds`,
  );
  const runOnce = (name: string): ClientRun => {
    const child = spawnSync(
      process.execPath,
      [
        "bench/support/client-run.mjs",
        name,
        String(port),
        String(calls),
        String(concurrency),
        String(warmup),
      ],
      { encoding: "utf8" },
    );
    if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as ClientRun;
  };
  try {
    runOnce(reference); // warms the server; discarded
    const results = new Map(contenders.map((name) => [name, [] as ClientRun[]]));
    for (let round = 0; round < rounds; round++) {
      const order = [...contenders].sort(() => Math.random() - 0.5);
      for (const name of order) results.get(name)!.push(runOnce(name));
    }
    const ref = results.get(reference)!;
    return contenders.map((name) => {
      const runs = results.get(name)!;
      const ratio = (pick: (run: ClientRun) => number) => median(runs.map((r, i) => pick(r) / pick(ref[i])));
      return {
        name,
        wallMs: median(runs.map((r) => r.wallMs)),
        cpuUsPerCall: median(runs.map((r) => r.cpuUsPerCall)),
        peakRssMb: median(runs.map((r) => r.peakRssMb)),
        wallRatio: ratio((r) => r.wallMs),
        cpuRatio: ratio((r) => r.cpuUsPerCall),
        rssRatio: ratio((r) => r.peakRssMb),
      };
    });
  } finally {
    server.stdin!.end();
  }
}
