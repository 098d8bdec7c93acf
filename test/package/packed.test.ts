// Issue 12, the package as users receive it: the tarball of `npm pack`, installed with npm into a
// temporary project. publint and @arethetypeswrong/cli (ESM-only profile) pass on it; it holds
// every file that package.json names and nothing of the work tree besides; and every entry loads
// through require() from CommonJS (require of ESM), which attw cannot model, on this Node.js and
// on the minimum that engines.node declares.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { minimumNodeVersion, packedProject, repoRoot, run } from "../support/packed-package.js";

const project = await packedProject();
const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
const bin = (name: string) => join(repoRoot, "node_modules/.bin", name);

test("issue 12 publint passes on the packed tarball, warnings included", async () => {
  const { stdout } = await run(bin("publint"), ["run", "--strict", project.tarball], { cwd: project.dir });
  assert.match(stdout, /All good!/);
});

test("issue 12 @arethetypeswrong/cli --profile esm-only passes on the packed tarball", async () => {
  const { stdout } = await run(bin("attw"), ["--profile", "esm-only", "--format", "json", project.tarball], {
    cwd: project.dir,
  });
  const { analysis, problems } = JSON.parse(stdout) as {
    analysis: { entrypoints: Record<string, unknown> };
    problems: Record<string, { resolutionKind?: string }[]>;
  };
  assert.deepEqual(
    Object.keys(analysis.entrypoints).sort(),
    Object.keys(manifest.exports).sort(),
    "attw checked every subpath",
  );
  // esm-only ignores what CommonJS resolution reports; nothing else may be wrong.
  const counted = Object.values(problems)
    .flat()
    .filter((p) => !["node10", "node16-cjs"].includes(p.resolutionKind ?? ""));
  assert.deepEqual(counted, []);
});

test("issue 12 the tarball holds every file package.json names, and nothing of the work tree besides", () => {
  const files = new Set(project.files);
  const named = [...shippedTargets(manifest.exports), ...shippedTargets(manifest.imports)];
  named.push(...Object.values(manifest.bin as Record<string, string>));
  for (const path of named) assert.ok(files.has(path.replace(/^\.\//, "")), `${path} is in the tarball`);
  for (const path of files) {
    assert.match(
      path,
      /^(dist\/|docs\/[\w-]+\.md$|README\.md$|package\.json$|LICENSE$|CHANGELOG\.md$)/,
      path,
    );
  }
});

test("issue 12 the source condition never reaches a consumer: TypeScript with it set still finds the shipped declarations", async () => {
  // A consumer who sets the work tree's condition too: its src/ targets are not in the tarball, so
  // TypeScript falls back to the declarations (Node.js and bundlers never match "types" at all).
  const subpaths = Object.keys(manifest.exports).filter((s: string) => s !== "./package.json");
  const names = subpaths.map((subpath: string) => "ai-inference" + subpath.slice(1));
  await writeFile(
    join(project.dir, "consumer.ts"),
    names.map((name: string, i: number) => `import type * as entry${i} from "${name}";\n`).join("") +
      `export type Entries = [${names.map((_: string, i: number) => `typeof entry${i}`).join(", ")}];\n`,
  );
  const compilerOptions = {
    module: "NodeNext",
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    customConditions: ["ai-inference-source"],
  };
  await writeFile(
    join(project.dir, "tsconfig.consumer.json"),
    JSON.stringify({ compilerOptions, files: ["consumer.ts"] }),
  );
  const { stdout } = await run(bin("tsc"), ["-p", "tsconfig.consumer.json", "--traceResolution"], {
    cwd: project.dir,
  });
  const resolved = new Map(
    [...stdout.matchAll(/Module name '(ai-inference[^']*)' was successfully resolved to '([^']+)'/g)].map(
      (m) => [m[1], m[2]],
    ),
  );
  for (const name of names) {
    const file = resolved.get(name) ?? "";
    assert.match(file, /\/node_modules\/ai-inference\/dist\/types\/.+\.d\.ts$/, name);
    assert.ok(
      project.files.includes(file.replace(/^.*\/node_modules\/ai-inference\//, "")),
      `${file} is in the tarball`,
    );
  }
});

/** Every file that an exports or imports map names, but for the work tree's source condition. */
function shippedTargets(map: unknown): string[] {
  if (typeof map === "string") return [map];
  return Object.entries(map as Record<string, unknown>)
    .filter(([condition]) => condition !== "ai-inference-source")
    .flatMap(([, target]) => shippedTargets(target));
}

/** A CommonJS script run in the packed project: require() of every entry, compared with import(). */
const requireEveryEntry = `
const assert = require("node:assert/strict");
const subpaths = ${JSON.stringify(Object.keys(manifest.exports).filter((s: string) => s !== "./package.json"))};
(async () => {
  for (const subpath of subpaths) {
    const name = "ai-inference" + subpath.slice(1);
    const required = require(name);
    const imported = await import(name);
    assert.deepEqual(Object.keys(required).sort(), Object.keys(imported).sort(), name);
    for (const key of Object.keys(imported)) assert.equal(required[key], imported[key], name + " " + key);
  }
  const sdk = require("ai-inference");
  assert.equal(require("ai-inference/structured").StructuredOutputError, sdk.StructuredOutputError);
  assert.equal(sdk.ChatCompletions.fromJSON('{"id":"x"}').id, "x");
  console.log("required " + subpaths.length + " entries on " + process.version);
})().catch((error) => { console.error(error); process.exit(1); });
`;

for (const [label, node] of [
  [`Node.js ${process.version}`, process.execPath],
  [`Node.js v${minimumNodeVersion}, the minimum of engines.node`, project.minimumNode],
] as const) {
  test(`issue 12 require() of every entry from CommonJS works on ${label}, giving the same objects as import()`, async () => {
    await writeFile(join(project.dir, "require-every-entry.cjs"), requireEveryEntry);
    const { stdout, stderr } = await run(node, ["require-every-entry.cjs"], { cwd: project.dir });
    assert.match(stdout, new RegExp(`required ${Object.keys(manifest.exports).length - 1} entries on v\\d`));
    assert.doesNotMatch(stderr, /Error/);
  });
}

test("issue 12 the minimum Node.js that runs these tests is the one engines.node names", async () => {
  const { stdout } = await run(project.minimumNode, ["--version"], { cwd: project.dir });
  assert.equal(stdout.trim(), `v${minimumNodeVersion}`);
  assert.equal(manifest.engines.node, `>=${minimumNodeVersion}`);
});

test("issue 12 the README states ESM-only and the runtime versions that CI installs and tests", () => {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const pinned = manifest.devDependencies as Record<string, string>;
  const workerdDate = pinned.workerd.replace(/^1\.(\d{4})(\d{2})(\d{2})\..*$/, "$1-$2-$3");
  assert.match(readme, /\*\*ESM-only\*\*/);
  assert.ok(readme.includes(`| Node.js | ${minimumNodeVersion} (the minimum, \`engines.node\`)`), "Node.js");
  assert.ok(readme.includes(`| Deno | ${pinned.deno} |`), `Deno ${pinned.deno}`);
  assert.ok(readme.includes(`| Bun | ${pinned.bun} |`), `Bun ${pinned.bun}`);
  assert.ok(
    readme.includes(
      `| Cloudflare workerd | ${pinned.workerd}, compatibility dates 2025-01-01 and ${workerdDate} |`,
    ),
    `workerd ${pinned.workerd}`,
  );
});
