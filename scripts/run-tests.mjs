// Runs the whole test suite with Node's own test runner. Node 20 neither finds .ts files nor expands
// globs, so this script lists the files itself, and it fails when fewer tests ran than the suite is
// known to have (test/min-test-count), so that a suite which silently shrinks cannot stay green.
import { spawn } from "node:child_process";
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;

async function listTests(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== "fixtures") found.push(...(await listTests(path)));
    else if (entry.isFile() && entry.name.endsWith(".test.ts")) found.push(path);
  }
  return found.sort();
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : await listTests(join(root, "test"));
const args = [
  "--conditions=ai-inference-source",
  "--import",
  "tsx",
  "--test",
  "--test-reporter=spec",
  "--test-reporter-destination=stdout",
  "--test-reporter=tap",
  "--test-reporter-destination=.cache/test-results.tap",
  ...files,
];

await mkdir(join(root, ".cache"), { recursive: true });
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, args, { cwd: root, stdio: "inherit" });
  child.on("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
});

const tap = await readFile(join(root, ".cache/test-results.tap"), "utf8");
const count = (name) => Number(tap.match(new RegExp(`^# ${name} (\\d+)$`, "m"))?.[1] ?? NaN);
const [tests, pass, fail, skipped, todo] = ["tests", "pass", "fail", "skipped", "todo"].map(count);
console.log(
  `\ntests ${tests}, pass ${pass}, fail ${fail}, skipped ${skipped}, todo ${todo}, files ${files.length}`,
);

if (code !== 0 || fail > 0) process.exit(code || 1);
if (only.length === 0) {
  const minimum = Number((await readFile(join(root, "test/min-test-count"), "utf8")).trim());
  if (!(pass >= minimum)) {
    console.error(`Only ${pass} tests passed, but the suite has at least ${minimum} (test/min-test-count).`);
    process.exit(1);
  }
  if (skipped > 0 || todo > 0) {
    console.error(`${skipped} skipped and ${todo} todo tests: a complete run skips none.`);
    process.exit(1);
  }
}
