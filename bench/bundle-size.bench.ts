// Issue 12, bundle-size row: one browser program (create a client, complete once, stream once),
// written for ai-inference and for openai-node, bundled and minified by esbuild for the browser,
// both in this run. Printed: the single file's gzipped size, and with code splitting the eager part
// (the entry and every chunk it imports statically, each gzipped on its own as a server would send
// it) against the lazy chunks. Targets: our eager part at most 0.6 of openai-node's gzipped size,
// and the helpers (structured outputs, the tool loop) and the JSON Schema validator never in it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { type Metafile, build } from "esbuild";
import { target } from "./support/harness.js";

const root = new URL("../", import.meta.url).pathname;
const programs = {
  "ai-inference": "bench/support/bundle-programs/ai-inference.ts",
  "openai@6.49.0": "bench/support/bundle-programs/openai.ts",
} as const;
/** What must load only on first use: the helper bundles and the validator they bring. */
const lazyOnly = [
  /^dist\/structured\.js$/,
  /^dist\/tools\.js$/,
  /@cfworker\/json-schema/,
  /node_modules\/zod\//,
];

interface Sizes {
  singleRaw: number;
  singleGzip: number;
  eagerGzip: number;
  lazyGzip: number;
  eagerFiles: number;
  lazyFiles: number;
  /** Inputs of the eager part that should have been lazy. */
  eagerHelpers: string[];
}

const gzipSize = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

async function measure(entry: string): Promise<Sizes> {
  const outdir = await mkdtemp(join(tmpdir(), "ai-inference-bundle-"));
  try {
    const common = {
      entryPoints: { program: join(root, entry) },
      absWorkingDir: root,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      metafile: true,
      logLevel: "error",
    } as const;
    const single = await build({ ...common, outdir: join(outdir, "single") });
    const singleFile = single.outputFiles.find((f) => f.path.endsWith(".js"))!;
    const split = await build({ ...common, outdir: join(outdir, "split"), splitting: true });
    const byPath = new Map(split.outputFiles.map((f) => [relative(root, f.path), f.contents]));
    const eager = staticClosure(split.metafile, relative(root, join(outdir, "split/program.js")));
    const jsOutputs = [...byPath.keys()].filter((path) => path.endsWith(".js"));
    const lazy = jsOutputs.filter((path) => !eager.has(path));
    const eagerHelpers = [...eager].flatMap((path) =>
      Object.keys(split.metafile.outputs[path].inputs).filter((input) =>
        lazyOnly.some((re) => re.test(input)),
      ),
    );
    return {
      singleRaw: singleFile.contents.length,
      singleGzip: gzipSize(singleFile.contents),
      eagerGzip: [...eager].reduce((sum, path) => sum + gzipSize(byPath.get(path)!), 0),
      lazyGzip: lazy.reduce((sum, path) => sum + gzipSize(byPath.get(path)!), 0),
      eagerFiles: eager.size,
      lazyFiles: lazy.length,
      eagerHelpers,
    };
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

/** The entry output and every output it reaches through static imports. */
function staticClosure(metafile: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of metafile.outputs[path].imports) {
      if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
    }
  };
  visit(entry);
  return seen;
}

const kb = (bytes: number) => (bytes / 1000).toFixed(1);
const results = new Map<string, Sizes>();
for (const [name, entry] of Object.entries(programs)) results.set(name, await measure(entry));

console.log(
  "\n## bundle size: client + complete once + stream once, esbuild --minify for the browser (target es2022, both)\n",
);
console.log("| program | one file KB | one file KB gzip | eager KB gzip (files) | lazy KB gzip (files) |");
console.log("| --- | ---: | ---: | ---: | ---: |");
for (const [name, s] of results) {
  console.log(
    `| ${name} | ${kb(s.singleRaw)} | ${kb(s.singleGzip)} | ${kb(s.eagerGzip)} (${s.eagerFiles}) | ${kb(s.lazyGzip)} (${s.lazyFiles}) |`,
  );
}
const ours = results.get("ai-inference")!;
const openai = results.get("openai@6.49.0")!;
console.log("");
console.log(`one file, ours ÷ openai: ${(ours.singleGzip / openai.singleGzip).toFixed(3)} (for information)`);
target("bundle: our eager part ÷ openai-node's gzipped size", ours.eagerGzip / openai.singleGzip, "<=", 0.6);
target("bundle: helper or validator modules in our eager part", ours.eagerHelpers.length, "<=", 0);
if (ours.eagerHelpers.length > 0) console.log(`  in the eager part: ${ours.eagerHelpers.join(", ")}`);
