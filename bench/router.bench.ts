// Issue 14, router row: the router's overhead per call against a plain client on the same upstream
// (target: at most 5%). 2,000 non-streamed calls at concurrency 32 to the local server of the
// client rows (its own process), each contender in a fresh process per round, shuffled; ratios
// are per-round medians against the plain client. The router goes to the same upstream through
// one deployment, or three (the same server thrice: the choice among several is measured too).
import { smoke, target } from "./support/harness.js";
import { runClientRounds } from "./support/client-rounds.js";

const calls = smoke ? 50 : 2000;
const concurrency = smoke ? 8 : 32;
const rounds = smoke ? 1 : Number(process.env.BENCH_ROUNDS ?? 7);
const results = await runClientRounds({
  contenders: ["ai-inference", "router (1 deployment)", "router (3 deployments)"],
  reference: "ai-inference",
  calls,
  concurrency,
  warmup: smoke ? 10 : 200,
  rounds,
});

console.log(`\n## router: ${calls} calls, concurrency ${concurrency}, medians of ${rounds} rounds\n`);
console.log("| contender | wall ms | ÷ client (wall) | CPU µs/call | ÷ client (CPU) | peak RSS MB |");
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of results) {
  console.log(
    `| ${r.name} | ${r.wallMs.toFixed(0)} | ${r.wallRatio.toFixed(3)} | ${r.cpuUsPerCall.toFixed(0)} | ` +
      `${r.cpuRatio.toFixed(3)} | ${r.peakRssMb.toFixed(1)} |`,
  );
}
console.log("");
for (const name of ["router (1 deployment)", "router (3 deployments)"]) {
  target(`${name} wall time ÷ plain client`, results.find((r) => r.name === name)!.wallRatio, "<=", 1.05);
}
