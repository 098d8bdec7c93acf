// Builds the published files: one bundled ES module per public entry (so that importing the SDK
// loads one file, see quality.md Q4 "import"), plus the type declarations from tsc.
import { build } from "esbuild";
import { chmod, rm } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, relative, resolve } from "node:path";

const require = createRequire(import.meta.url);

/** Public entry points: source file → output file under dist/. Keep in step with package.json "exports". */
export const entries = {
  index: "src/index.ts",
  // Prompt templates: their own subpath, so that importing the SDK never loads YAML or Mustache.
  prompts: "src/helpers/prompts/index.ts",
  // Structured outputs and the tool loop: their own subpaths, which the client also loads lazily
  // (client.parse(), client.runTools()) through the "#helpers/*" imports of package.json.
  structured: "src/helpers/structured-outputs/index.ts",
  tools: "src/helpers/tools/index.ts",
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

/**
 * Folders whose bundles must share the SDK entry's classes. A helper that builds models, checks
 * `instanceof` or throws the SDK's errors would break if its bundle carried a second copy of those
 * classes, so their imports of the SDK's own layers become imports of "ai-inference" (the package
 * importing itself, which resolves to the same dist/index.js as the user's import). Those imports
 * must therefore name only what src/index.ts exports; test/package checks it. Pure modules without
 * classes or state are bundled as usual.
 */
const sharingHelpers = ["src/helpers/structured-outputs/", "src/helpers/tools/", "src/helpers/schemas/"];
const sdkLayers = ["src/models/", "src/errors.ts", "src/streaming/", "src/client/"];
// instrumentation.ts: the hook and its registry (on globalThis), which the tool loop asks for a run observer.
const bundledPure = new Set([
  "src/models/wire-values.ts",
  "src/models/schema-inputs.ts",
  "src/client/instrumentation.ts",
]);

/**
 * The router (ai-inference/router) is built on the client's internals (its pipeline, options and
 * request building), which it bundles, but the classes users see (models, errors, streams) must be
 * the entry's: in its own build, every import of those layers, from any of its modules, becomes an
 * import of "ai-inference". The option tables it reads are pure and bundled.
 */
const routerEntries = { router: "src/client/router/index.ts" };
const routerSdkLayers = ["src/models/", "src/errors.ts", "src/streaming/"];
const routerBundledPure = new Set([
  ...bundledPure,
  "src/models/chat-completions-options.ts",
  "src/models/embeddings-options.ts",
]);

/**
 * @param {(importer: string) => boolean} applies which importers share the entry's classes
 * @param {readonly string[]} layers the layers whose imports become "ai-inference"
 * @param {ReadonlySet<string>} pure modules of those layers bundled all the same
 * @returns {import("esbuild").Plugin}
 */
const shareSdkEntry = (applies, layers, pure) => ({
  name: "share-sdk-entry",
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const importer = relative(process.cwd(), args.importer);
      if (!applies(importer)) return undefined;
      const target = relative(process.cwd(), resolve(dirname(args.importer), args.path)).replace(
        /\.js$/,
        ".ts",
      );
      if (pure.has(target) || !layers.some((layer) => target.startsWith(layer))) return undefined;
      return { path: "ai-inference", external: true };
    });
  },
});

await rm("dist", { recursive: true, force: true });

const neutral = {
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
};

await build({
  ...neutral,
  entryPoints: entries,
  plugins: [
    shareSdkEntry(
      (importer) => sharingHelpers.some((folder) => importer.startsWith(folder)),
      sdkLayers,
      bundledPure,
    ),
  ],
});

await build({
  ...neutral,
  entryPoints: routerEntries,
  plugins: [shareSdkEntry(() => true, routerSdkLayers, routerBundledPure)],
});

// The `ai-inference` executable (package.json "bin"): Node.js only, run by `node` through its shebang.
await build({
  entryPoints: { cli: "src/cli/bin.ts" },
  outdir: "dist",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  external: ["#*"],
  banner: { js: "#!/usr/bin/env node" },
  sourcemap: true,
  logLevel: "warning",
});
await chmod("dist/cli.js", 0o755);

execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});
