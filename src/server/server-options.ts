// The server's options, normalised once (style.md 2.4): defaults filled, values checked, the
// result frozen and the only config used afterwards.
import type { Engine } from "./engine/engine.js";
import type { WireEngine } from "./engine/wire-engine.js";
import type { ScriptedReply } from "./engine/scripted-replies.js";
import type { ChatWrapperOption } from "./engine/chat-wrappers.js";
import type { LlamaEngineOptions } from "./engine/llama-engine.js";
import { defaultMaxBodyBytes } from "./middleware/body-limit.js";
import type { RequestLogWriter } from "./middleware/request-log.js";

/** What `createServer` takes. Give `modelPath` (the llama engine), `replies` (the scripted engine) or an `engine`. */
export interface ServerOptions {
  /** A GGUF model file, run by the llama engine. */
  modelPath?: string;
  /**
   * Answers from this script instead of a model (the scripted engine, docs/server.md "Testing an
   * app offline"): replies taken in order, or chosen by a substring of the last user message.
   */
  replies?: readonly ScriptedReply[];
  /**
   * An engine of your own instead of `modelPath`: a token engine, or a wire engine that answers the
   * wire request itself (a gateway). The server does not close it.
   */
  engine?: Engine | WireEngine;
  /** Generations at once (llama.cpp context sequences). @default 1 */
  maxConcurrent?: number;
  /** Requests waiting for a slot; beyond them the answer is 429. @default 16 */
  maxQueue?: number;
  /** Retry-After of a 429, in seconds. @default 1 */
  retryAfterSeconds?: number;
  /** Required in `api-key` or `Authorization: Bearer` on every route but `/health`. */
  apiKey?: string;
  /** Allow listening off loopback without an `apiKey` (anyone who reaches the port may use the model). @default false */
  insecureNoAuth?: boolean;
  /** Origins allowed by CORS (for browsers); CORS is off when empty; `"*"` allows any origin, without credentials. @default [] */
  corsOrigins?: readonly string[];
  /** Largest request body, in bytes (413 beyond). @default 4 MiB */
  maxBodyBytes?: number;
  /** Receives one line per request; `false` turns the log off. @default a line on stderr */
  log?: RequestLogWriter | false;
  /** Put prompts and outputs in the log. @default false */
  logContent?: boolean;
  /** How long `close()` lets in-flight work finish before aborting it. @default 10000 */
  shutdownDeadlineMs?: number;
  /** Node's `headersTimeout` over HTTP: a client gets this long to send its headers (408 after). @default 60000 */
  headersTimeoutMs?: number;
  /** Node's `requestTimeout` over HTTP: a client gets this long to send its whole request (408 after). @default 300000 */
  requestTimeoutMs?: number;
  /** llama engine: CPU threads. @default 1 on two or fewer cores, else the physical cores */
  threads?: number;
  /** llama engine: tokens per sequence. @default the model's training context, at most 4096 */
  contextSize?: number;
  /** llama engine: the chat wrapper (see `LlamaEngineOptions.chatWrapper`). @default "auto" */
  chatWrapper?: ChatWrapperOption;
  /** The model name replies and `/info` give. @default the model's own name */
  modelName?: string;
}

/** The options after `normalizeServerOptions`. */
export interface NormalizedServerOptions {
  readonly modelPath: string | undefined;
  readonly engine: Engine | WireEngine | undefined;
  readonly replies: readonly ScriptedReply[] | undefined;
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  readonly retryAfterSeconds: number;
  readonly apiKey: string | undefined;
  readonly insecureNoAuth: boolean;
  readonly corsOrigins: readonly string[];
  readonly maxBodyBytes: number;
  readonly log: RequestLogWriter | false;
  readonly logContent: boolean;
  readonly shutdownDeadlineMs: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly llama: Omit<LlamaEngineOptions, "modelPath" | "maxConcurrent">;
}

const knownOptions: ReadonlySet<string> = new Set([
  "modelPath", "replies", "engine", "maxConcurrent", "maxQueue", "retryAfterSeconds", "apiKey", "insecureNoAuth",
  "corsOrigins", "maxBodyBytes", "log", "logContent", "shutdownDeadlineMs", "headersTimeoutMs",
  "requestTimeoutMs", "threads", "contextSize", "chatWrapper", "modelName",
]); // prettier-ignore

const writeToStderr: RequestLogWriter = (line) => process.stderr.write(`${line}\n`);

function integer(options: ServerOptions, key: keyof ServerOptions, min: number, fallback: number): number {
  const value = options[key] ?? fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(
      `Server option '${key}' must be an integer of at least ${min}, not ${String(value)}.`,
    );
  }
  return value;
}

/** Fills defaults and checks every option, naming the one at fault. */
export function normalizeServerOptions(options: ServerOptions): NormalizedServerOptions {
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key)) throw new TypeError(`Unknown server option '${key}'.`);
  }
  const sources = [options.modelPath, options.replies, options.engine].filter((value) => value !== undefined);
  if (sources.length !== 1) {
    throw new TypeError(
      "Give the server one of 'modelPath' (a GGUF file), 'replies' (a script) or an 'engine', and only one.",
    );
  }
  if (options.apiKey !== undefined && (typeof options.apiKey !== "string" || options.apiKey === "")) {
    throw new TypeError("Server option 'apiKey' must be a non-empty string.");
  }
  const { threads, contextSize, chatWrapper, modelName } = options;
  const requestTimeoutMs = integer(options, "requestTimeoutMs", 1, 300_000);
  const headersTimeoutMs = integer(options, "headersTimeoutMs", 1, Math.min(60_000, requestTimeoutMs));
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new RangeError(
      `Server option 'headersTimeoutMs' (${headersTimeoutMs}) must not exceed 'requestTimeoutMs' (${requestTimeoutMs}).`,
    );
  }
  return Object.freeze({
    modelPath: options.modelPath,
    engine: options.engine,
    replies: options.replies,
    maxConcurrent: integer(options, "maxConcurrent", 1, 1),
    maxQueue: integer(options, "maxQueue", 0, 16),
    retryAfterSeconds: integer(options, "retryAfterSeconds", 0, 1),
    apiKey: options.apiKey,
    insecureNoAuth: options.insecureNoAuth ?? false,
    corsOrigins: Object.freeze([...(options.corsOrigins ?? [])]),
    maxBodyBytes: integer(options, "maxBodyBytes", 1, defaultMaxBodyBytes),
    log: options.log === undefined ? writeToStderr : options.log,
    logContent: options.logContent ?? false,
    shutdownDeadlineMs: integer(options, "shutdownDeadlineMs", 0, 10_000),
    headersTimeoutMs,
    requestTimeoutMs,
    llama: Object.freeze({
      ...(threads === undefined ? {} : { threads: integer(options, "threads", 1, 1) }),
      ...(contextSize === undefined ? {} : { contextSize: integer(options, "contextSize", 1, 1) }),
      ...(chatWrapper === undefined ? {} : { chatWrapper }),
      ...(modelName === undefined ? {} : { modelName }),
    }),
  });
}
