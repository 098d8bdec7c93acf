// The soak row (issue 10): 100,000 requests over keep-alive HTTP to the server in its own process,
// a mix of cheap routes (80%), refused requests (18%), short generations (1%) and clients that
// leave a stream (1%). Target: the server's heap after full GCs grows by under 1 MB from after the warm-up to
// the end (before issue 10, `AbortSignal.any` per request leaked about 66 bytes each on Node 20).
import { fork } from "node:child_process";
import http from "node:http";
import { mkdir } from "node:fs/promises";
import { writeTinyModel } from "ai-inference/server";
import { smoke, target } from "./support/harness.js";

const total = smoke ? 2_000 : 100_000;
const warmup = smoke ? 500 : 10_000;
const concurrency = 8;
const checkpoints = 5;

const cacheDir = new URL("../.cache/bench/", import.meta.url).pathname;
await mkdir(cacheDir, { recursive: true });
const modelPath = `${cacheDir}tiny-soak.gguf`;
await writeTinyModel(modelPath);

const child = fork(new URL("./support/soak-server.mjs", import.meta.url).pathname, [modelPath], {
  execArgv: ["--expose-gc"],
  stdio: ["ignore", "pipe", "inherit", "ipc"],
});
const url = new URL(
  await new Promise<string>((resolve) =>
    child.stdout!.setEncoding("utf8").once("data", (text: string) => resolve(text.trim())),
  ),
);
const ask = <T>(message: string) =>
  new Promise<T>((resolve) => {
    child.once("message", (reply) => resolve(reply as T));
    child.send(message);
  });

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const statuses = new Map<number, number>();

/** One request of the mix, chosen by its number; resolves when its answer is read (or abandoned). */
function request(n: number): Promise<void> {
  const kind = n % 100;
  const chat = (body: unknown, leave = false) => ({ method: "POST", path: "/chat/completions", body, leave });
  const plan =
    kind < 70
      ? { method: "GET", path: n % 2 ? "/info" : "/v1/models" }
      : kind < 80
        ? { method: "GET", path: "/health" }
        : kind < 96
          ? chat({ messages: [] }) // 400
          : kind < 98
            ? chat({ messages: [{ role: "user", content: "x" }], temperature: 9 }) // 400
            : kind < 99
              ? chat({ messages: [{ role: "user", content: `hi ${n}` }], max_tokens: 2 })
              : chat({ messages: [{ role: "user", content: "go" }], max_tokens: 50, stream: true }, true);
  return new Promise((resolve, reject) => {
    const body = "body" in plan ? JSON.stringify(plan.body) : undefined;
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: plan.method,
        path: plan.path,
        agent,
        headers: body
          ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) }
          : {},
      },
      (res) => {
        statuses.set(res.statusCode!, (statuses.get(res.statusCode!) ?? 0) + 1);
        if ("leave" in plan && plan.leave) {
          // A client that leaves after the first chunk.
          res.once("data", () => {
            req.destroy();
            resolve();
          });
          return;
        }
        res.resume();
        res.on("end", resolve);
      },
    );
    req.on("error", (error) => ("leave" in plan && plan.leave ? resolve() : reject(error)));
    req.end(body);
  });
}

async function run(from: number, count: number): Promise<void> {
  let next = from;
  const end = from + count;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < end) await request(next++);
    }),
  );
}

const started = performance.now();
await run(0, warmup);
const base = (await ask<{ heap: number }>("heap")).heap;
const heaps = [base];
for (let i = 0; i < checkpoints; i++) {
  await run(warmup + (i * total) / checkpoints, total / checkpoints);
  heaps.push((await ask<{ heap: number }>("heap")).heap);
}
const seconds = (performance.now() - started) / 1000;
const floor = (await ask<{ growth: number }>("any-floor")).growth;
child.send("close");
await new Promise((resolve) => child.once("exit", resolve));
agent.destroy();

const mb = (bytes: number) => (bytes / 1_000_000).toFixed(2);
console.log(
  `\n## Soak: ${total.toLocaleString("en")} requests after ${warmup.toLocaleString("en")} of warm-up, ${concurrency} keep-alive connections\n`,
);
console.log(`| after requests | heap after GC (MB) | growth (MB) |`);
console.log("| ---: | ---: | ---: |");
heaps.forEach((heap, i) =>
  console.log(`| ${((i * total) / checkpoints).toLocaleString("en")} | ${mb(heap)} | ${mb(heap - base)} |`),
);
console.log(
  `\nStatuses: ${[...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${status} × ${count}`)
    .join(", ")}; ` + `${Math.round((warmup + total) / seconds)} requests/s.`,
);
console.log(
  `For contrast, 100,000 AbortSignal.any calls tied to one signal grow the heap by ${mb(floor)} MB.`,
);
const ok = target("soak: heap growth over the run (MB)", (heaps.at(-1)! - base) / 1_000_000, "<=", 1);
if ([...statuses.keys()].some((status) => status >= 500)) {
  console.log("MISS soak: a request got a 5xx");
  process.exitCode = 1;
}
if (!ok && !smoke) process.exitCode = 1;
