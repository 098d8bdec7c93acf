// quality.md Q4, client rows: 2,000 non-streamed calls at concurrency 32 to a local server (its own
// process) answering a fixed ~1 KB body. Each contender runs in a fresh process per round (so
// peak RSS is its own), in shuffled order each round; ratios are taken round by round against raw
// fetch + res.json(), and the table shows medians (perf-anchors.md §3).
import { smoke, target } from "./support/harness.js";
import { runClientRounds } from "./support/client-rounds.js";

const calls = smoke ? 50 : 2000;
const concurrency = smoke ? 8 : 32;
const rounds = smoke ? 1 : Number(process.env.BENCH_ROUNDS ?? 5);
const reference = "raw fetch";
const results = await runClientRounds({
  contenders: [
    "raw fetch",
    "ai-inference",
    "ai-inference (fetch option)",
    "ai-inference (tracing loaded, off)",
    "ai-inference (traced)",
    "openai",
    "@azure-rest/ai-inference",
    "raw node:http",
  ],
  reference,
  calls,
  concurrency,
  warmup: smoke ? 10 : 200,
  rounds,
});

console.log(`\n## client: ${calls} calls, concurrency ${concurrency}, medians of ${rounds} rounds\n`);
console.log(
  "| contender | wall ms | ÷ raw fetch (wall) | client CPU µs/call | peak RSS MB | ÷ raw fetch (RSS) |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const r of results) {
  console.log(
    `| ${r.name} | ${r.wallMs.toFixed(0)} | ${r.wallRatio.toFixed(2)} | ` +
      `${r.cpuUsPerCall.toFixed(0)} | ${r.peakRssMb.toFixed(1)} | ${r.rssRatio.toFixed(2)} |`,
  );
}
console.log("");
const sdk = results.find((r) => r.name === "ai-inference")!;
target("client wall time ÷ raw fetch", sdk.wallRatio, "<=", 0.6);
target("client peak RSS ÷ raw fetch", sdk.rssRatio, "<=", 1.0);
