// quality.md Q4, import row: the cold-start cost of importing the SDK entry, over `node -e 0`
// (perf-anchors.md §4): fresh processes in rotating order, wall time around spawnSync, deltas taken
// pair by pair against `node -e 0` from the same round, medians. Peers measured in the same run.
import { spawnSync } from "node:child_process";
import { median, smoke, target } from "./support/harness.js";

const rounds = smoke ? 3 : 21;
const commands: [string, string[]][] = [
  ["node -e 0", ["-e", "0"]],
  ["import('ai-inference')", ["-e", "import('ai-inference')"]],
  ["import('openai')", ["-e", "import('openai')"]],
  ["import('@azure-rest/ai-inference')", ["-e", "import('@azure-rest/ai-inference')"]],
];

function timeOnce(args: string[]): number {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { stdio: "ignore" });
  if (run.status !== 0) throw new Error(`node ${args.join(" ")} failed`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

for (const [, args] of commands) timeOnce(args); // warm the page cache, discarded
const times = new Map(commands.map(([name]) => [name, [] as number[]]));
for (let round = 0; round < rounds; round++) {
  for (let i = 0; i < commands.length; i++) {
    const [name, args] = commands[(round + i) % commands.length];
    times.get(name)!.push(timeOnce(args));
  }
}
const baseline = times.get("node -e 0")!;
console.log(`\n## import cost, ${rounds} rounds of fresh processes\n`);
console.log("| command | wall ms (median) | − node -e 0 (ms) | ÷ node -e 0 |");
console.log("| --- | ---: | ---: | ---: |");
const deltas = new Map<string, number>();
for (const [name] of commands) {
  const own = times.get(name)!;
  const delta = median(own.map((t, i) => t - baseline[i]));
  deltas.set(name, delta);
  const ratio = median(own.map((t, i) => t / baseline[i]));
  console.log(`| ${name} | ${median(own).toFixed(1)} | ${delta.toFixed(1)} | ${ratio.toFixed(2)} |`);
}
console.log("");
target("import ai-inference, ms over node -e 0", deltas.get("import('ai-inference')")!, "<=", 40);
