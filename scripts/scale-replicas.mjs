// Replicas behind nginx (issue 14, docs/scaling.md): starts two `ai-inference serve` replicas of the
// tiny model and Debian's nginx in front of them (the configuration of docs/scaling.md, so the page
// stays true), all on free loopback ports in a temporary folder; sends 200 non-streamed requests at
// concurrency 16 through the SDK, kills one replica (SIGKILL) after 100 answers, and reports how
// every request ended. Then a stream cut after its first update. Exits 1 unless every request
// ended in a 200. Needs `npm run build` first and nginx installed (apt-get install -y nginx).
// Run: node scripts/scale-replicas.mjs  (or npm run bench -- scale)
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/cli.js");
const REQUESTS = 200;
const CONCURRENCY = 16;
const KILL_AFTER = 100;

const nginx = ["nginx", "/usr/sbin/nginx"].find((path) =>
  path.includes("/") ? existsSync(path) : onPath(path),
);
if (nginx === undefined) {
  console.error("nginx is not installed (Debian: apt-get install -y nginx).");
  process.exit(1);
}
if (!existsSync(cli)) {
  console.error("dist/cli.js is missing: run npm run build first.");
  process.exit(1);
}
const { ChatCompletionsClient, UserMessage } = await import("ai-inference");

const started = performance.now();
const dir = await mkdtemp(join(tmpdir(), "ai-inference-scale-"));
const children = new Set();
let nginxProcess;
let failed = false;
try {
  const model = join(dir, "tiny.gguf");
  await run(process.execPath, [cli, "tiny-model", model]);
  const replicas = [await startReplica(model), await startReplica(model)];
  const port = await freePort();
  await startNginx(
    port,
    replicas.map((r) => r.port),
  );
  const url = `http://127.0.0.1:${port}`;
  console.log(`replicas on ports ${replicas.map((r) => r.port).join(" and ")}, nginx on ${port}`);

  // 200 requests at concurrency 16; one replica is killed after 100 answers.
  const client = new ChatCompletionsClient(url, null, { apiVersion: null, timeoutMs: 30_000 });
  const outcomes = [];
  let answered = 0;
  let next = 0;
  let killedAt;
  const worker = async () => {
    while (next < REQUESTS) {
      next++;
      const statuses = [];
      try {
        const answer = await client.complete({
          messages: [new UserMessage("Say something.")],
          maxTokens: 8,
          onResponse: (response) => statuses.push(response.status),
        });
        outcomes.push({ ok: answer.choices.length === 1, statuses });
      } catch (error) {
        outcomes.push({ ok: false, statuses, error: `${error.name}: ${error.message}` });
      }
      if (++answered === KILL_AFTER) {
        killedAt = answered;
        replicas[0].child.kill("SIGKILL");
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const ok = outcomes.filter((o) => o.ok && o.statuses.at(-1) === 200).length;
  const retried = outcomes.filter((o) => o.statuses.length > 1);
  const seen = {};
  for (const o of outcomes) for (const s of o.statuses) seen[s] = (seen[s] ?? 0) + 1;
  console.log(
    `${REQUESTS} requests at concurrency ${CONCURRENCY}, replica on port ${replicas[0].port} killed (SIGKILL) after ${killedAt} answers:`,
  );
  console.log(`  ${ok} of ${outcomes.length} ended in a 200; ${retried.length} needed a retry by the SDK`);
  console.log(`  statuses seen over all attempts: ${JSON.stringify(seen)}`);
  for (const o of outcomes.filter((x) => !x.ok)) console.log(`  FAILED: ${o.error} (statuses ${o.statuses})`);
  if (ok !== REQUESTS || outcomes.length !== REQUESTS) failed = true;

  // A stream cut after its first update: the live replica dies while it streams.
  const stream = await client.complete({
    messages: [new UserMessage("Write a long story.")],
    maxTokens: 1500,
    stream: true,
  });
  let updates = 0;
  let streamError;
  try {
    for await (const update of stream) {
      if (++updates === 1) replicas[1].child.kill("SIGKILL");
      void update;
    }
  } catch (error) {
    streamError = error;
  }
  if (streamError === undefined) {
    console.log(`stream: ended normally after ${updates} updates (it finished before the replica died)`);
  } else {
    const partial = streamError.partial?.choices?.[0]?.message?.content ?? null;
    console.log(
      `stream cut after its first update: ${streamError.name} after ${updates} updates, ` +
        `partial kept: ${partial === null ? "none" : `${partial.length} characters`}, not retried`,
    );
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(error);
  failed = true;
} finally {
  // nginx gets SIGTERM: its master stops the workers (SIGKILL would leave them running, orphaned).
  for (const child of children) child.kill(child === nginxProcess ? "SIGTERM" : "SIGKILL");
  await Promise.all(
    [...children].map((child) =>
      child.exitCode === null && child.signalCode === null ? once(child, "exit") : undefined,
    ),
  );
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

function onPath(name) {
  return (process.env.PATH ?? "")
    .split(":")
    .some((folder) => folder !== "" && existsSync(join(folder, name)));
}

function track(child) {
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

async function run(command, args) {
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"] });
  const [code] = await once(child, "exit");
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code}`);
}

async function startReplica(model) {
  const child = track(
    spawn(process.execPath, [cli, "serve", "--model-file", model, "--port", "0", "--max-queue", "64"], {
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  child.stderr.resume(); // one log line per request: not needed here
  let stdout = "";
  const url = await new Promise((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (text) => {
      stdout += text;
      const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`a replica exited early (${code})`)));
  });
  return { child, url, port: Number(new URL(url).port) };
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** nginx with the server block of docs/scaling.md, its ports replaced, inside a minimal main config. */
async function startNginx(port, replicaPorts) {
  const page = await readFile(join(root, "docs/scaling.md"), "utf8");
  const block = /```nginx\n([\s\S]*?)```/.exec(page)?.[1];
  if (block === undefined) throw new Error("docs/scaling.md has no nginx block");
  const site = block
    .replace("127.0.0.1:8081", `127.0.0.1:${replicaPorts[0]}`)
    .replace("127.0.0.1:8082", `127.0.0.1:${replicaPorts[1]}`)
    .replace("listen 127.0.0.1:8080", `listen 127.0.0.1:${port}`);
  const config = `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
${process.getuid?.() === 0 ? "user root;" : ""}
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${site}
}
`;
  await writeFile(join(dir, "nginx.conf"), config);
  const child = track(
    spawn(nginx, ["-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"], {
      // Not inherited: a worker holding this process's stdout would keep a pipe reading it open.
      stdio: ["ignore", "ignore", "pipe"],
    }),
  );
  nginxProcess = child;
  let messages = "";
  child.stderr.setEncoding("utf8").on("data", (text) => (messages += text));
  // Ready when /health answers through it.
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${messages}`);
    try {
      if ((await globalThis.fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await delay(100);
  }
  throw new Error("nginx did not answer /health within 10 s");
}
