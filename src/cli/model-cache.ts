// The embedded default model (S4.2): a small instruct model downloaded once into the user's cache,
// then reused. The download is checked before it is kept (GGUF magic, size, SHA-256: a captive
// portal's page never becomes the model), survives the network (an interrupted download resumes
// where it stopped, or starts clean when the server can't resume), and offline it fails within
// seconds with a message that says what to do.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { httpGet } from "./http-get.js";
import type { CliIo } from "./output.js";

/** Qwen2.5 0.5B Instruct, Q4_K_M: about 490 MB, Apache-2.0, a chat template llama.cpp knows. */
export const DEFAULT_MODEL = Object.freeze({
  name: "Qwen2.5-0.5B-Instruct (Q4_K_M, Apache-2.0)",
  url: "https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/main/qwen2.5-0.5b-instruct-q4_k_m.gguf",
  file: "qwen2.5-0.5b-instruct-q4_k_m.gguf",
  /** The file's size in bytes and its SHA-256, as the model's repository lists them. */
  size: 491_400_032,
  sha256: "74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db",
});

/** The first four bytes of every GGUF file. */
const ggufMagic = "GGUF";

/** `$XDG_CACHE_HOME/ai-inference`, else `~/.cache/ai-inference`. */
export function cacheDir(env: CliIo["env"]): string {
  const base =
    env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== "" ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(base, "ai-inference");
}

export interface DownloadOptions {
  io: CliIo;
  /** What the command can use instead, for the hint of a failure: `serve` has no use for `--endpoint`. */
  alternatives: "model-file" | "model-file-or-endpoint";
  /** How long to wait for the server's response headers. @default 5000 */
  connectTimeoutMs?: number;
  /** How long the body may stall before the download fails. @default 30000 */
  stallTimeoutMs?: number;
}

/** Thrown when the default model is not cached and cannot be downloaded, or the cached file is bad. */
export class ModelDownloadError extends Error {
  override name = "ModelDownloadError";
}

/** What the downloaded file must be. */
interface Expected {
  readonly size: number | undefined;
  readonly sha256: string;
}

/**
 * Returns the cached default model's path, downloading it first when needed.
 * `AI_INFERENCE_MODEL_URL` points at a mirror (and lets tests prove the offline failure anywhere);
 * `AI_INFERENCE_MODEL_SHA256` names the SHA-256 a mirror's file must have when it is another model.
 */
export async function ensureDefaultModel(options: DownloadOptions): Promise<string> {
  const { env } = options.io;
  const dir = cacheDir(env);
  const path = join(dir, DEFAULT_MODEL.file);
  const sha256 = env.AI_INFERENCE_MODEL_SHA256?.trim().toLowerCase();
  const expected: Expected =
    sha256 === undefined || sha256 === ""
      ? { size: DEFAULT_MODEL.size, sha256: DEFAULT_MODEL.sha256 }
      : { size: undefined, sha256 };
  if (await checkCached(path, expected)) return path;
  await mkdir(dir, { recursive: true });
  const url = env.AI_INFERENCE_MODEL_URL || DEFAULT_MODEL.url;
  try {
    await download(url, path, expected, options);
  } catch (error) {
    const reason = error instanceof Error ? describeFailure(error) : String(error);
    const instead =
      options.alternatives === "model-file"
        ? "Pass --model-file PATH to serve a GGUF model on disk"
        : "Pass --model-file PATH to use a GGUF model on disk";
    throw new ModelDownloadError(
      `Could not download the default model ${DEFAULT_MODEL.name} from ${url} (${reason}). ${instead} ` +
        "(`ai-inference tiny-model tiny.gguf` writes a tiny test model)" +
        (options.alternatives === "model-file"
          ? "."
          : ", or --endpoint URL (with --api-key) to use a remote service."),
      { cause: error },
    );
  }
  return path;
}

/** True when the model is cached; a cached file that is not the model is an error naming it. */
async function checkCached(path: string, expected: Expected): Promise<boolean> {
  const size = await stat(path).then(
    (info) => (info.isFile() ? info.size : undefined),
    () => undefined,
  );
  if (size === undefined) return false;
  const head = await readHead(path);
  const remove = `remove it (rm "${path}") and run again to download it anew.`;
  if (head !== ggufMagic) {
    throw new ModelDownloadError(
      `The cached default model ${path} is not a GGUF model (it starts with ${JSON.stringify(head)}): ${remove}`,
    );
  }
  if (expected.size !== undefined && size !== expected.size) {
    throw new ModelDownloadError(
      `The cached default model ${path} is ${size} bytes, not the ${expected.size} of ${DEFAULT_MODEL.name}: ${remove}`,
    );
  }
  return true;
}

async function readHead(path: string): Promise<string> {
  const file = await open(path, "r");
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(4), 0, 4, 0);
    return buffer.subarray(0, bytesRead).toString("latin1");
  } finally {
    await file.close();
  }
}

/** A failure after which the `.partial` file is kept, to resume from. */
class Interrupted extends Error {
  override name = "Interrupted";
}

async function download(
  url: string,
  path: string,
  expected: Expected,
  options: DownloadOptions,
  fromScratch = false,
): Promise<void> {
  const { io } = options;
  const partial = `${path}.partial`;
  if (fromScratch) await rm(partial, { force: true });
  const kept = await stat(partial).then(
    (info) => info.size,
    () => 0,
  );
  const response = await httpGet(url, {
    env: io.env,
    timeoutMs: options.connectTimeoutMs ?? 5000,
    headers: kept > 0 ? { range: `bytes=${kept}-` } : {},
  });
  const { body } = response;
  const range = /^bytes (\d+)-\d+\/(\d+)$/.exec(String(response.headers["content-range"] ?? ""));
  const resumed = response.status === 206 && range !== null && Number(range[1]) === kept;
  if (kept > 0 && (response.status === 416 || (response.status === 206 && !resumed))) {
    // The server can't continue where the file stopped: start clean.
    body.destroy();
    return download(url, path, expected, options, true);
  }
  if (response.status !== 200 && !resumed) {
    body.destroy();
    throw new Error(`HTTP ${response.status} ${body.statusMessage ?? ""}`.trim());
  }
  const start = resumed ? kept : 0;
  const length = Number(response.headers["content-length"] ?? NaN);
  const total = resumed ? Number(range![2]) : length;
  if (expected.size !== undefined && Number.isFinite(total) && total !== expected.size) {
    body.destroy();
    throw new Error(
      `the server offers ${total} bytes, not the ${expected.size} of the model: is this the right address?`,
    );
  }
  io.stderr.write(
    `${resumed ? "Resuming" : "Downloading"} the default model ${DEFAULT_MODEL.name} from ${response.url} ` +
      `into ${path}${resumed ? ` at ${mb(start)} MB` : ""}\n`,
  );

  // The bytes already kept count in the hash; a clean start truncates the file.
  const hash = createHash("sha256");
  if (resumed) for await (const chunk of createReadStream(partial)) hash.update(chunk as Buffer);
  const progress = new Progress(io.stderr, total, start);
  const stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
  const stalled = () => body.destroy(new Interrupted("the download stalled"));
  let stallTimer = setTimeout(stalled, stallTimeoutMs);
  let head = resumed ? ggufMagic : "";
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(stalled, stallTimeoutMs);
      // A page instead of a model (a captive portal, a login): refused at its first bytes.
      if (head.length < 4) {
        head += chunk.subarray(0, 4 - head.length).toString("latin1");
        if (head.length === 4 && head !== ggufMagic) {
          callback(new NotTheModel(`it is not a GGUF model (it starts with ${JSON.stringify(head)})`));
          return;
        }
      }
      hash.update(chunk);
      progress.add(chunk.length);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(partial, { flags: resumed ? "a" : "w" }));
  } catch (error) {
    progress.done();
    if (error instanceof NotTheModel) {
      await rm(partial, { force: true });
      throw error;
    }
    throw await interrupted(error, partial, total);
  } finally {
    clearTimeout(stallTimer);
  }
  progress.done();
  if (Number.isFinite(total) && progress.received !== total) {
    throw await interrupted(new Error(`received ${progress.received} of ${total} bytes`), partial, total);
  }
  const digest = hash.digest("hex");
  if (digest !== expected.sha256 || head !== ggufMagic) {
    await rm(partial, { force: true });
    throw new NotTheModel(
      head !== ggufMagic
        ? `it is not a GGUF model (it starts with ${JSON.stringify(head)})`
        : `its SHA-256 is ${digest}, not the expected ${expected.sha256}; the damaged file was removed`,
    );
  }
  await rename(partial, path);
}

/** The file downloaded is not the model: never kept, never resumed. */
class NotTheModel extends Error {
  override name = "NotTheModel";
}

/** The error for a download cut short: what is kept, and that running again resumes. */
async function interrupted(error: unknown, partial: string, total: number): Promise<Error> {
  const kept = await stat(partial).then(
    (info) => info.size,
    () => 0,
  );
  const reason = error instanceof Error ? describeFailure(error) : String(error);
  if (kept === 0) return new Error(reason, { cause: error });
  const of = Number.isFinite(total) ? ` of ${mb(total)}` : "";
  return new Interrupted(`${reason}; ${mb(kept)}${of} MB kept: run again to resume`, { cause: error });
}

/** Progress on stderr: a redrawn bar on a terminal, a line every 10% otherwise. */
class Progress {
  received: number;
  #lastDecile = -1;
  #lastDraw = 0;
  constructor(
    private readonly stream: CliIo["stderr"],
    private readonly total: number,
    start: number,
  ) {
    this.received = start;
  }

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
  if (error instanceof Interrupted || error instanceof NotTheModel) return error.message;
  const cause = (error as { cause?: unknown }).cause;
  const code = (error as { code?: string }).code ?? (cause as { code?: string } | undefined)?.code;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "the host could not be resolved: no network?";
  if (code === "ECONNREFUSED") return "the connection was refused";
  if (code === "ECONNRESET") return "the connection was reset";
  return code && !error.message.includes(code) ? `${error.message}: ${code}` : error.message;
}
