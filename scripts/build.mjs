// Builds the published files: one bundled ES module per public entry (so that importing the SDK
// loads one file, see quality.md Q4 "import"), plus the type declarations from tsc.
import { build } from "esbuild";
import { rm } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Public entry points: source file → output file under dist/. Keep in step with package.json "exports". */
export const entries = {
  index: "src/index.ts",
  // Prompt templates: their own subpath, so that importing the SDK never loads YAML or Mustache.
  prompts: "src/helpers/prompts/index.ts",
  // OpenTelemetry tracing (ai-inference/tracing): the only entry that imports @opentelemetry/api.
  tracing: "src/helpers/tracing/index.ts",
  // The local server (ai-inference/server): Hono and node-llama-cpp stay external, loaded only here.
  server: "src/server/index.ts",
  // Runtime-specific leaves, chosen by the "#platform/*" imports map.
  "platform/read-file.node": "src/internal/platform/read-file.node.ts",
  "platform/read-file.browser": "src/internal/platform/read-file.browser.ts",
  "platform/prompt-files.node": "src/internal/platform/prompt-files.node.ts",
  "platform/prompt-files.browser": "src/internal/platform/prompt-files.browser.ts",
  "platform/transport.node": "src/internal/platform/transport.node.ts",
  "platform/transport.fetch": "src/internal/platform/transport.fetch.ts",
};

await rm("dist", { recursive: true, force: true });

await build({
  entryPoints: entries,
  outdir: "dist",
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  packages: "external",
  // Node built-ins are imported lazily where used (e.g. node:fs/promises in ImageUrl.load).
  external: ["node:*", "#*"],
  sourcemap: true,
  logLevel: "warning",
});

execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});
