// S2.4: importing the SDK never loads node-llama-cpp or the server; only ai-inference/server does.
// Checked on the built files (npm test builds first), the way users receive them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

const dist = (file: string) => readFile(new URL(`../../dist/${file}`, import.meta.url), "utf8");
const imports = (code: string) =>
  [...code.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);

test("S2.4 the SDK entry imports neither Hono nor node-llama-cpp", async () => {
  const specifiers = imports(await dist("index.js"));
  assert.ok(!specifiers.some((s) => /hono|node-llama-cpp/.test(s)), specifiers.join(", "));
});

test("S2.4 ai-inference/server is its own entry, with Hono and node-llama-cpp left external", async () => {
  const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8"));
  assert.deepEqual(pkg.exports["./server"], {
    types: { "ai-inference-source": "./src/server/index.ts", default: "./dist/types/server/index.d.ts" },
    default: "./dist/server.js",
  });
  const specifiers = imports(await dist("server.js"));
  for (const name of ["hono", "@hono/node-server", "node-llama-cpp"])
    assert.ok(specifiers.includes(name), name);
  assert.equal(pkg.peerDependencies["node-llama-cpp"], "3.21.1");
  assert.equal(pkg.peerDependenciesMeta["node-llama-cpp"].optional, true);
});
