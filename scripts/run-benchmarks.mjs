// npm run bench [-- name-filter] [-- --smoke]: builds, then runs each bench/*.bench.ts in its own
// process (node --expose-gc), one after the other so they do not compete for the two cores.
// `npm run bench -- llama-server` runs the throughput bench and first builds llama.cpp's server
// (once, about 9 minutes, cached outside the repository); no other run ever builds it.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import os from "node:os";

const args = process.argv.slice(2);
const passThrough = args.filter((a) => a.startsWith("--"));
const buildLlamaServer = args.includes("llama-server");
const filters = args.filter((a) => !a.startsWith("--")).map((a) => (a === "llama-server" ? "throughput" : a));
const files = readdirSync("bench")
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

console.log(
  `# Benchmarks: ${new Date().toISOString()}, Node.js ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model}`,
);
let failed = 0;
for (const file of files) {
  console.log(`\n# bench/${file}`);
  const run = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", `bench/${file}`, ...passThrough],
    {
      stdio: "inherit",
      env: buildLlamaServer ? { ...process.env, AI_INFERENCE_BENCH_BUILD_LLAMA_SERVER: "1" } : process.env,
    },
  );
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
