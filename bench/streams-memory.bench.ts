// quality.md Q4, client row: 1,000 concurrent streams of 200 chunks, the server in its own process
// (bench/support/stream-server.mjs); the client process's peak RSS growth per stream must stay
// within 50 KB. Each contender runs in a fresh process per round (bench/support/streams-run.mjs):
// a warm-up wave, the RSS after a full GC, then one wave of concurrent streams, every stream read
// to the end and checked. Rounds are shuffled; the table shows medians.
//   npm run bench -- streams-memory            (1,000 streams)
//   npm run bench -- streams-memory --smoke    (50 streams, to keep it working)
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { median, smoke, target } from "./support/harness.js";
import { syntheticChatStream } from "../test/support/synthetic-stream.js";

const STREAMS = smoke ? 50 : Number(process.env.BENCH_STREAMS ?? 1000);
const CHUNKS = 200;
const ROUNDS = smoke ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);
const contenders = [
  "ai-inference",
  "ai-inference (fetch option)",
  "openai",
  "raw undici + eventsource-parser",
  "raw fetch + eventsource-parser",
];
/**
 * A smaller wave per contender too: the growth per stream at STREAMS includes what a process pays
 * once whatever the number of streams (V8's young generation grows to its full size, code, pools);
 * the difference between the two waves' peaks, per extra stream, is the cost of one more stream.
 */
const SMALL_WAVE = Math.max(10, Math.round(STREAMS / 4));

interface Run {
  rssBeforeMb: number;
  peakMb: number;
  growthPerStreamKb: number;
  wallMs: number;
}

const synthetic = syntheticChatStream(CHUNKS);
const dir = mkdtempSync(join(tmpdir(), "ai-inference-streams-"));
const bodyFile = join(dir, "body.sse");
const contentFile = join(dir, "content.txt");
writeFileSync(bodyFile, synthetic.bytes);
writeFileSync(contentFile, synthetic.content);

const server = spawn(process.execPath, ["bench/support/stream-server.mjs", bodyFile, "5"], {
  stdio: ["pipe", "pipe", "inherit"],
});
const [firstLine] = (await once(createInterface({ input: server.stdout! }), "line")) as [string];
const { port } = JSON.parse(firstLine) as { port: number };
console.log(
  `server on port ${port} (its own process); ${STREAMS} concurrent streams of ${CHUNKS} chunks ` +
    `(${synthetic.bytes.length} bytes each, one event per stream every 5 ms), ${ROUNDS} rounds`,
);

function runOnce(name: string, streams = STREAMS): Run {
  const child = spawnSync(
    process.execPath,
    [
      "--expose-gc",
      "bench/support/streams-run.mjs",
      name,
      String(port),
      String(streams),
      String(CHUNKS),
      contentFile,
    ],
    { encoding: "utf8" },
  );
  if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Run;
}

try {
  const results = new Map(contenders.map((name) => [name, [] as Run[]]));
  const marginal = new Map(contenders.map((name) => [name, [] as number[]]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...contenders].sort(() => Math.random() - 0.5);
    for (const name of order) {
      const big = runOnce(name);
      const small = runOnce(name, SMALL_WAVE);
      results.get(name)!.push(big);
      marginal.get(name)!.push(((big.peakMb - small.peakMb) * 1024) / (STREAMS - SMALL_WAVE));
    }
  }
  console.log(
    `\n## ${STREAMS} concurrent streams of ${CHUNKS} chunks: client RSS, medians of ${ROUNDS} rounds\n`,
  );
  console.log(
    `| contender | RSS before MB | peak RSS MB | growth per stream KB | one more stream KB (${SMALL_WAVE} → ${STREAMS}) | wall ms |`,
  );
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const name of contenders) {
    const runs = results.get(name)!;
    const cell = (pick: (r: Run) => number, digits: number) => median(runs.map(pick)).toFixed(digits);
    console.log(
      `| ${name} | ${cell((r) => r.rssBeforeMb, 1)} | ${cell((r) => r.peakMb, 1)} | ` +
        `${cell((r) => r.growthPerStreamKb, 1)} | ${median(marginal.get(name)!).toFixed(1)} | ${cell((r) => r.wallMs, 0)} |`,
    );
  }
  console.log("");
  target(
    "peak RSS growth per stream, KB",
    median(results.get("ai-inference")!.map((r) => r.growthPerStreamKb)),
    "<=",
    50,
  );
} finally {
  server.stdin!.end();
  rmSync(dir, { recursive: true, force: true });
}
