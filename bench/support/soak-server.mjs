/* global setImmediate, AbortController, AbortSignal */
// The soak benchmark's server process (issue 10): `ai-inference/server` on the tiny model, over
// HTTP. Prints its URL on stdout; answers "heap" on its IPC channel with the heap used after full
// garbage collections, and "any-floor" with the heap growth of 100,000 `AbortSignal.any` calls
// tied to one long-lived signal (what every request cost before issue 10, for contrast).
// Run with --expose-gc.
import { createServer } from "ai-inference/server";

const [modelPath] = process.argv.slice(2);
const server = await createServer({ modelPath, log: false, maxQueue: 64 });
const url = await server.listen();

async function heapAfterGc() {
  for (let i = 0; i < 6; i++) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

process.on("message", async (message) => {
  if (message === "heap") process.send({ heap: await heapAfterGc() });
  if (message === "any-floor") {
    const shutdown = new AbortController();
    const before = await heapAfterGc();
    for (let i = 0; i < 100_000; i++) AbortSignal.any([new AbortController().signal, shutdown.signal]);
    process.send({ growth: (await heapAfterGc()) - before });
  }
  if (message === "close") {
    await server.close();
    process.exit(0);
  }
});
console.log(url);
