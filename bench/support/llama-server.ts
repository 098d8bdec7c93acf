// llama.cpp's own `llama-server`, built from the very source node-llama-cpp ships
// (node_modules/node-llama-cpp/llama/gitRelease.bundle), so the throughput bench compares the
// server against llama.cpp at the same commit. The build takes about 9 minutes on two cores, so it
// happens once, only when asked (`npm run bench -- llama-server`), into a cache outside the
// repository; never in CI. Run this file directly to build: `node --import tsx bench/support/llama-server.ts`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const bundle = fileURLToPath(
  new URL("../../node_modules/node-llama-cpp/llama/gitRelease.bundle", import.meta.url),
);

/** The commit the bundle holds: the cache is keyed by it, so a node-llama-cpp upgrade rebuilds. */
function bundleCommit(): string {
  const heads = spawnSync("git", ["bundle", "list-heads", bundle], { encoding: "utf8" });
  const commit = heads.stdout.match(/^([0-9a-f]{40}) HEAD$/m)?.[1];
  if (heads.status !== 0 || !commit) {
    throw new Error(`Cannot read ${bundle} (is node-llama-cpp installed?): ${heads.stderr.trim()}`);
  }
  return commit;
}

export function llamaServerCacheDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(cacheHome, "ai-inference-bench", "llama-server", bundleCommit().slice(0, 12));
}

/** The cached binary's path, or undefined when it was never built. */
export function cachedLlamaServer(): string | undefined {
  const binary = join(llamaServerCacheDir(), "build", "bin", "llama-server");
  return existsSync(binary) ? binary : undefined;
}

export const howToBuildLlamaServer =
  "`npm run bench -- llama-server` builds it once (about 9 minutes on two cores, needs Debian's cmake and g++)";

/**
 * Clones the bundle and builds only the `llama-server` target (CPU, tuned for this machine like the
 * CPU variant node-llama-cpp picks at run time, no curl). Resumes an interrupted build.
 */
export async function buildLlamaServer(): Promise<string> {
  const dir = llamaServerCacheDir();
  const source = join(dir, "src");
  const build = join(dir, "build");
  await mkdir(dir, { recursive: true });
  if (!existsSync(join(source, "CMakeLists.txt"))) {
    await rm(source, { recursive: true, force: true });
    await run("git", ["clone", "--quiet", bundle, source]);
  }
  if (!existsSync(join(build, "CMakeCache.txt"))) {
    await run("cmake", [
      "-S",
      source,
      "-B",
      build,
      "-DCMAKE_BUILD_TYPE=Release",
      "-DGGML_NATIVE=ON",
      "-DLLAMA_CURL=OFF",
      "-DLLAMA_BUILD_TESTS=OFF",
      "-DLLAMA_BUILD_EXAMPLES=OFF",
    ]);
  }
  await run("cmake", ["--build", build, "--target", "llama-server", "--parallel", "2"]);
  const binary = cachedLlamaServer();
  if (!binary) throw new Error(`The build ended without ${join(build, "bin", "llama-server")}.`);
  return binary;
}

function run(command: string, args: readonly string[]): Promise<void> {
  console.error(`$ ${command} ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", (error) =>
      reject(new Error(`${command} failed to start (apt-get install -y cmake g++): ${error.message}`)),
    );
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args[0]} exited with ${code}.`)),
    );
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await buildLlamaServer());
}
