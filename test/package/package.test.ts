// The package as users get it: the built entry resolves by name (package self-reference) and
// exports what the source entry exports; engines states the real minimum Node.js version.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";
import * as source from "../../src/index.js";

const root = new URL("../../", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

test("the built package resolves by name and exports exactly what src/index.ts exports", async () => {
  const built = await import("ai-inference");
  assert.deepEqual(Object.keys(built).sort(), Object.keys(source).sort());
  assert.equal(typeof built.ChatCompletions.fromJSON, "function");
  assert.equal(built.ChatCompletions.fromJSON('{"id":"x"}').id, "x");
});

test("type declarations are shipped for every export of package.json", () => {
  for (const [subpath, target] of Object.entries(pkg.exports as Record<string, unknown>)) {
    if (typeof target !== "object" || target === null) continue;
    const types = (target as { types?: { default?: string } }).types?.default;
    assert.ok(types, `${subpath} has types`);
    assert.ok(existsSync(join(root, types)), `${types} exists after the build`);
  }
});

// The type-checker resolves the package's own name (tests, examples, benchmarks) under its custom
// condition, so that `npm run typecheck` checks src/ even with dist/ stale or missing; Node.js,
// which never matches "types", still loads the build even with that condition on (the tests').
test("every export's types reach src/ under the ai-inference-source condition, and the build otherwise", () => {
  for (const [subpath, target] of Object.entries(pkg.exports as Record<string, unknown>)) {
    if (typeof target !== "object" || target === null) continue;
    const { types, default: code } = target as { types: Record<string, string>; default: string };
    assert.deepEqual(Object.keys(types), ["ai-inference-source", "default"], subpath);
    assert.match(types["ai-inference-source"], /^\.\/src\/.+\.ts$/, subpath);
    assert.ok(existsSync(join(root, types["ai-inference-source"])), `${types["ai-inference-source"]} exists`);
    assert.deepEqual(
      Object.keys(target),
      ["types", "default"],
      `${subpath}: nothing but types may see the source`,
    );
    assert.match(code, /^\.\/dist\//, subpath);
  }
});

/** Every package installed under node_modules with the Node.js range it declares. */
function installedEngines(dir: string, found: [string, string][] = []): [string, string][] {
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (entry.startsWith("@")) {
      installedEngines(path, found);
      continue;
    }
    const manifest = join(path, "package.json");
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, "utf8"));
    if (typeof json.engines?.node === "string")
      found.push([`${json.name}@${json.version}`, json.engines.node]);
    if (existsSync(join(path, "node_modules"))) installedEngines(join(path, "node_modules"), found);
  }
  return found;
}

test("engines.node is the real minimum Node.js version of everything installed", () => {
  const ranges = installedEngines(join(root, "node_modules"));
  assert.ok(ranges.length > 20);
  const candidates: string[] = [];
  for (let minor = 0; minor <= 40; minor++)
    for (let patch = 0; patch <= 9; patch++) candidates.push(`20.${minor}.${patch}`);
  const minimum = candidates.find((v) => ranges.every(([, range]) => semver.satisfies(v, range)));
  assert.ok(minimum, "some Node.js 20 release satisfies every installed package");
  const blocking = ranges.filter(([, range]) => !semver.satisfies(semver.coerce(pkg.engines.node)!, range));
  assert.deepEqual(blocking, [], "every installed package runs on the declared minimum");
  assert.equal(pkg.engines.node, `>=${minimum}`, "and the declared minimum is not higher than needed");
});
