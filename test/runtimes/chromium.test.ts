// Issue 12 in a browser: Debian's Chromium (installed by .ci/run), driven by playwright-core, loads a
// page from its own loopback origin with the shared scenario bundled for the browser by esbuild
// (code splitting on, so that the lazily imported helpers load as separate chunks, as in an app),
// and runs it against `serve` on another origin: every call crosses CORS.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { after } from "node:test";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import {
  inSequence,
  prepareScenario,
  reportSteps,
  scenarioSteps,
  serveLogContext,
} from "./support/harness.js";
import type { StepResult } from "./scenario.js";

const executablePath = "/usr/bin/chromium";
// The machine's network is closed: without these flags Chromium keeps trying to reach Google's hosts.
const flags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const servers = await prepareScenario();
const { runDir } = servers;
const pageDir = join(runDir, "page");
await mkdir(pageDir);
await writeFile(
  join(runDir, "browser-entry.mjs"),
  `import { runScenario } from "./scenario.mjs";\nglobalThis.runScenario = runScenario;\n`,
);
await build({
  entryPoints: { entry: join(runDir, "browser-entry.mjs") },
  outdir: pageDir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "error",
});
await writeFile(
  join(pageDir, "index.html"),
  `<!doctype html><meta charset="utf-8"><title>scenario</title><script type="module" src="./entry.js"></script>`,
);

// The page's own origin: a static server for the bundle.
const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript" };
const pages = createServer(async (req, res) => {
  const path = normalize(join(pageDir, new URL(req.url ?? "/", "http://x").pathname));
  const file = path.endsWith("/") ? join(path, "index.html") : path;
  if (!file.startsWith(pageDir) || !existsSync(file)) return void res.writeHead(404).end();
  res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
  res.end(await readFile(file));
});
await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
after(() => new Promise((resolve) => pages.close(resolve)));
const pageUrl = `http://127.0.0.1:${(pages.address() as { port: number }).port}/`;

const userDataDir = await mkdtemp(join(tmpdir(), "ai-inference-chromium-"));
after(() => rm(userDataDir, { recursive: true, force: true }));
if (!existsSync(executablePath))
  throw new Error(`No ${executablePath}: run "apt-get install -y chromium" (see .ci/run).`);
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath,
  headless: true,
  args: flags,
});
after(() => browser.close());
const version = `Chromium ${browser.browser()?.version() ?? ""}`.trim();

const pageErrors: string[] = [];
const outcome = inSequence(async (): Promise<StepResult[]> => {
  const page = await browser.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  await page.goto(pageUrl);
  await page.waitForFunction(() => "runScenario" in globalThis, undefined, { timeout: 30_000 });
  const config = servers.config("chromium");
  return page.evaluate(
    (c) => (globalThis as unknown as { runScenario(c: unknown): Promise<StepResult[]> }).runScenario(c),
    config,
  );
});

const logs = serveLogContext(servers);
reportSteps(
  version,
  scenarioSteps,
  outcome,
  () => `\npage errors: ${pageErrors.join("\n") || "none"}${logs()}`,
);
