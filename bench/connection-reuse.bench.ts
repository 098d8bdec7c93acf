// Issue 9, connection reuse: 200 sequential streamed calls of 10 chunks over HTTPS on loopback,
// the server ending each body 50 ms after `data: [DONE]` (bench/support/reuse-server.mjs, its own
// process, a self-signed certificate made here). Counted: the TLS connections each contender opens
// (target 1: the stream reads what follows [DONE] rather than cutting the connection), and its
// wall time against openai-node on the same server. Each contender runs in a fresh process per
// round (bench/support/reuse-run.mjs), in shuffled order; the table shows medians.
//   npm run bench -- connection-reuse            (200 calls, 3 rounds)
//   npm run bench -- connection-reuse --smoke    (5 calls, 1 round)
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { median, smoke, target } from "./support/harness.js";
import { testCertificate } from "../test/support/tls.js";

const CALLS = smoke ? 5 : Number(process.env.BENCH_CALLS ?? 200);
const ROUNDS = smoke ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);
const GAP_MS = 50;
const contenders = ["ai-inference", "ai-inference (fetch option)", "openai"];
const reference = "openai";

interface Run {
  connections: number;
  wallMs: number;
}

const dir = mkdtempSync(join(tmpdir(), "ai-inference-reuse-"));
const { key, cert } = await testCertificate();
const keyFile = join(dir, "key.pem");
const certFile = join(dir, "cert.pem");
writeFileSync(keyFile, key);
writeFileSync(certFile, cert);

const server = spawn(
  process.execPath,
  ["bench/support/reuse-server.mjs", keyFile, certFile, String(GAP_MS)],
  {
    stdio: ["pipe", "pipe", "inherit"],
  },
);
const [firstLine] = (await once(createInterface({ input: server.stdout! }), "line")) as [string];
const { port, control, chunks } = JSON.parse(firstLine) as { port: number; control: number; chunks: number };
console.log(
  `HTTPS server on port ${port} (its own process); ${CALLS} sequential streamed calls of ${chunks} chunks, ` +
    `the body ending ${GAP_MS} ms after [DONE]; ${ROUNDS} rounds`,
);

async function connectionsSoFar(): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${control}/connections`);
  return ((await response.json()) as { connections: number }).connections;
}

async function runOnce(name: string): Promise<Run> {
  const before = await connectionsSoFar();
  const child = spawnSync(
    process.execPath,
    ["bench/support/reuse-run.mjs", name, String(port), String(CALLS), String(chunks)],
    { encoding: "utf8", env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile } },
  );
  if (child.status !== 0) throw new Error(`${name} failed: ${child.stderr}`);
  const { wallMs } = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { wallMs: number };
  return { wallMs, connections: (await connectionsSoFar()) - before };
}

try {
  const results = new Map(contenders.map((name) => [name, [] as Run[]]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = [...contenders].sort(() => Math.random() - 0.5);
    for (const name of order) results.get(name)!.push(await runOnce(name));
  }
  const referenceRuns = results.get(reference)!;
  console.log(
    `\n## connection reuse: ${CALLS} sequential streamed calls over HTTPS, medians of ${ROUNDS} rounds\n`,
  );
  console.log(`| contender | TLS connections opened | wall ms | ms per call | wall ÷ ${reference} |`);
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const name of contenders) {
    const runs = results.get(name)!;
    const wallMs = median(runs.map((r) => r.wallMs));
    const ratio = median(runs.map((r, i) => r.wallMs / referenceRuns[i].wallMs));
    console.log(
      `| ${name} | ${median(runs.map((r) => r.connections))} | ${wallMs.toFixed(0)} | ` +
        `${(wallMs / CALLS).toFixed(1)} | ${ratio.toFixed(2)} |`,
    );
  }
  console.log("");
  target(
    "TLS connections opened by ai-inference",
    median(results.get("ai-inference")!.map((r) => r.connections)),
    "<=",
    1,
  );
} finally {
  server.stdin!.end();
  rmSync(dir, { recursive: true, force: true });
}
