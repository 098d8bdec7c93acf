// quality.md Q4, client rows: 2,000 non-streamed calls at concurrency 32 to a local server (its own
// process) answering a fixed ~1 KB body. Each contender runs in a fresh process per round (so
// peak RSS is its own), in shuffled order each round; ratios are taken round by round against raw
// fetch + res.json(), and the table shows medians (perf-anchors.md §3).
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { median, smoke, target } from "./support/harness.js";

const calls = smoke ? 50 : 2000;
const concurrency = smoke ? 8 : 32;
const warmup = smoke ? 10 : 200;
const rounds = smoke ? 1 : Number(process.env.BENCH_ROUNDS ?? 5);
const contenders = [
  "raw fetch",
  "ai-inference",
  "ai-inference (fetch option)",
  "ai-inference (tracing loaded, off)",
  "ai-inference (traced)",
  "openai",
  "@azure-rest/ai-inference",
  "raw node:http",
];
const reference = "raw fetch";

interface Run {
  wallMs: number;
  cpuUsPerCall: number;
  peakRssMb: number;
}

const server = spawn(process.execPath, ["bench/support/chat-server.mjs"], {
  stdio: ["pipe", "pipe", "inherit"],
});
const [firstLine] = (await once(createInterface({ input: server.stdout! }), "line")) as [string];
const { port, bytes } = JSON.parse(firstLine) as { port: number; bytes: number };
console.log(
  `server on port ${port} (its own process), reply ${bytes} bytes; ${calls} calls at concurrency ${concurrency}, ${rounds} rounds`,
);

function runOnce(name: string): Run {
  const child = spawnSync(
    process.execPath,
    ["bench/support/client-run.mjs", name, String(port), String(calls), String(concurrency), String(warmup)],
    { encoding: "utf8" },
  );
  if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Run;
}

try {
  runOnce(reference); // warms the server; discarded
  const results = new Map(contenders.map((name) => [name, [] as Run[]]));
  for (let round = 0; round < rounds; round++) {
    const order = [...contenders].sort(() => Math.random() - 0.5);
    for (const name of order) results.get(name)!.push(runOnce(name));
  }
  const referenceRuns = results.get(reference)!;
  console.log(`\n## client: ${calls} calls, concurrency ${concurrency}, medians of ${rounds} rounds\n`);
  console.log(
    "| contender | wall ms | ÷ raw fetch (wall) | client CPU µs/call | peak RSS MB | ÷ raw fetch (RSS) |",
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  const ratios = new Map<string, { wall: number; rss: number }>();
  for (const name of contenders) {
    const runs = results.get(name)!;
    const wall = median(runs.map((r, i) => r.wallMs / referenceRuns[i].wallMs));
    const rss = median(runs.map((r, i) => r.peakRssMb / referenceRuns[i].peakRssMb));
    ratios.set(name, { wall, rss });
    console.log(
      `| ${name} | ${median(runs.map((r) => r.wallMs)).toFixed(0)} | ${wall.toFixed(2)} | ` +
        `${median(runs.map((r) => r.cpuUsPerCall)).toFixed(0)} | ${median(runs.map((r) => r.peakRssMb)).toFixed(1)} | ${rss.toFixed(2)} |`,
    );
  }
  console.log("");
  target("client wall time ÷ raw fetch", ratios.get("ai-inference")!.wall, "<=", 0.6);
  target("client peak RSS ÷ raw fetch", ratios.get("ai-inference")!.rss, "<=", 1.0);
} finally {
  server.stdin!.end();
}
