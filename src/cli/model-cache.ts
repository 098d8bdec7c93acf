// The embedded default model (S4.2): a small instruct model downloaded once into the user's cache,
// then reused. Offline, the download fails within seconds with a message that says what to do.
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable, Transform } from "node:stream";
import type { CliIo } from "./output.js";

/** Qwen2.5 0.5B Instruct, Q4_K_M: about 400 MB, Apache-2.0, a chat template llama.cpp knows. */
export const DEFAULT_MODEL = Object.freeze({
  name: "Qwen2.5-0.5B-Instruct (Q4_K_M, Apache-2.0)",
  url: "https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf",
  file: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
});

/** `$XDG_CACHE_HOME/ai-inference`, else `~/.cache/ai-inference`. */
export function cacheDir(env: CliIo["env"]): string {
  const base =
    env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== "" ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "ai-inference");
}

export interface DownloadOptions {
  io: CliIo;
  /** Overrides the default model's address (tests, mirrors). */
  url?: string;
  /** How long to wait for the server's response headers. @default 5000 */
  connectTimeoutMs?: number;
  /** How long the body may stall before the download fails. @default 30000 */
  stallTimeoutMs?: number;
  /** A `fetch` to download with. @default undici's, through HTTPS_PROXY/HTTP_PROXY/NO_PROXY (P2.7) */
  fetch?: typeof globalThis.fetch;
}

/** Thrown when the default model is not cached and cannot be downloaded. */
export class ModelDownloadError extends Error {
  override name = "ModelDownloadError";
}

/** Returns the cached default model's path, downloading it first when needed. */
export async function ensureDefaultModel(options: DownloadOptions): Promise<string> {
  const dir = cacheDir(options.io.env);
  const path = join(dir, DEFAULT_MODEL.file);
  if (await isFile(path)) return path;
  await mkdir(dir, { recursive: true });
  // AI_INFERENCE_MODEL_URL points at a mirror (and lets tests prove the offline failure anywhere).
  const url = options.url ?? (options.io.env.AI_INFERENCE_MODEL_URL || DEFAULT_MODEL.url);
  try {
    await download(url, path, options);
  } catch (error) {
    const reason = error instanceof Error ? describeFailure(error) : String(error);
    throw new ModelDownloadError(
      `Could not download the default model ${DEFAULT_MODEL.name} from ${url} (${reason}). ` +
        "Pass --model-file PATH to use a GGUF model on disk (`ai-inference tiny-model tiny.gguf` writes a tiny " +
        "test model), or --endpoint URL (with --api-key) to use a remote service.",
      { cause: error },
    );
  }
  return path;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function download(url: string, path: string, options: DownloadOptions): Promise<void> {
  const fetcher = options.fetch ?? (await proxiedFetch());
  const controller = new AbortController();
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const connectTimer = setTimeout(
    () => controller.abort(new Error(`no response within ${connectTimeoutMs / 1000} s`)),
    connectTimeoutMs,
  );
  let response: Response;
  try {
    response = await fetcher(url, { signal: controller.signal, redirect: "follow" });
  } finally {
    clearTimeout(connectTimer);
  }
  if (!response.ok || response.body === null) {
    throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  }
  const total = Number(response.headers.get("content-length") ?? NaN);
  const partial = `${path}.partial`;
  options.io.stderr.write(`Downloading the default model ${DEFAULT_MODEL.name} from ${url} into ${path}\n`);
  const progress = new Progress(options.io.stderr, total);
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  let stallTimer = setTimeout(() => controller.abort(new Error("the download stalled")), stallTimeoutMs);
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => controller.abort(new Error("the download stalled")), stallTimeoutMs);
      progress.add(chunk.length);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(response.body as never), meter, createWriteStream(partial));
    if (Number.isFinite(total) && progress.received !== total) {
      throw new Error(`received ${progress.received} of ${total} bytes`);
    }
    await rename(partial, path);
    progress.done();
  } catch (error) {
    progress.done();
    await rm(partial, { force: true });
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(stallTimer);
  }
}

/** undici's fetch through the proxy the environment names, if any (Node's own fetch ignores them). */
async function proxiedFetch(): Promise<typeof globalThis.fetch> {
  const { fetch, EnvHttpProxyAgent } = await import("undici");
  const dispatcher = new EnvHttpProxyAgent();
  return ((input: string, init?: RequestInit) => fetch(input, { ...(init as object), dispatcher })) as never;
}

/** Progress on stderr: a redrawn bar on a terminal, a line every 10% otherwise. */
class Progress {
  received = 0;
  #lastDecile = -1;
  #lastDraw = 0;
  constructor(
    private readonly stream: CliIo["stderr"],
    private readonly total: number,
  ) {}

  add(bytes: number): void {
    this.received += bytes;
    const known = Number.isFinite(this.total) && this.total > 0;
    const fraction = known ? this.received / this.total : 0;
    if (this.stream.isTTY) {
      const now = Date.now();
      if (now - this.#lastDraw < 100 && this.received !== this.total) return;
      this.#lastDraw = now;
      const width = 30;
      const bar = known ? "#".repeat(Math.round(fraction * width)).padEnd(width, " ") : "";
      const amount = known ? `${mb(this.received)}/${mb(this.total)} MB` : `${mb(this.received)} MB`;
      this.stream.write(`\rDownloading the default model [${bar}] ${amount}`);
    } else if (known) {
      const decile = Math.floor(fraction * 10);
      if (decile !== this.#lastDecile) {
        this.#lastDecile = decile;
        this.stream.write(`Downloading the default model: ${decile * 10}% of ${mb(this.total)} MB\n`);
      }
    }
  }

  done(): void {
    if (this.stream.isTTY && this.received > 0) this.stream.write("\n");
    else if (!(Number.isFinite(this.total) && this.total > 0)) {
      this.stream.write(`Downloaded ${mb(this.received)} MB\n`);
    }
  }
}

const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);

function describeFailure(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  const code = (cause as { code?: string } | undefined)?.code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host could not be resolved: no network?";
  if (code === "ECONNREFUSED") return "the connection was refused";
  if (error.name === "AbortError" || error.name === "TimeoutError")
    return "no response within the time limit";
  return code ? `${error.message}: ${code}` : error.message;
}
