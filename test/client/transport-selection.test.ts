// P1.11, P4.4: the transport is chosen by the `#platform/transport` imports map (browser, deno, bun
// → fetch, before node → undici), and undici is loaded on the first request, never at import.
// These run the built package (npm test builds first) in fresh processes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { useLoopbackServer } from "../support/loopback-server.js";

const root = new URL("../..", import.meta.url).pathname;
// Asynchronous: the loopback server lives in this process and must keep answering.
const node = async (args: string[]): Promise<string> =>
  (await promisify(execFile)(process.execPath, args, { cwd: root, encoding: "utf8" })).stdout.trim();

test("P1.11 browsers, Deno and Bun get the fetch transport; Node.js gets undici", async () => {
  const resolve = (condition?: string) =>
    node([
      ...(condition ? [`--conditions=${condition}`] : []),
      "--input-type=module",
      "-e",
      "console.log(import.meta.resolve('#platform/transport'))",
    ]);
  for (const condition of ["browser", "deno", "bun"])
    assert.match(await resolve(condition), /\/dist\/platform\/transport\.fetch\.js$/, condition);
  assert.match(await resolve("node"), /\/dist\/platform\/transport\.node\.js$/);
  assert.match(await resolve(), /\/dist\/platform\/transport\.node\.js$/, "Node.js itself");
});

test("P4.4 importing the SDK loads no undici; the first request on Node.js does, a fetch option never does", async (t) => {
  const server = await useLoopbackServer(t, {
    body: {
      id: "1",
      created: 1,
      model: "m",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "ok" } }],
    },
  });
  const script = (fetchOption: string) => `
    import { createRequire } from "node:module";
    const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes("/node_modules/undici/")).length;
    const { ChatCompletionsClient } = await import("ai-inference");
    const atImport = loaded();
    const client = new ChatCompletionsClient("${server.url}", null, { ${fetchOption} });
    await client.complete({ messages: [{ role: "user", content: "hi" }] });
    console.log(JSON.stringify([atImport, loaded()]));`;
  const [atImport, afterRequest] = JSON.parse(
    await node(["--input-type=module", "-e", script("")]),
  ) as number[];
  assert.equal(atImport, 0);
  assert.ok(afterRequest > 0);
  assert.deepEqual(
    JSON.parse(await node(["--input-type=module", "-e", script("fetch: globalThis.fetch")])),
    [0, 0],
  );
});
