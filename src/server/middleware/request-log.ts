// One log line per request (S1.8): method, path, status, duration, tokens in/out. For a streamed
// reply the line is written when the stream ends, so it has the real duration and token counts.
// Prompts and outputs appear only when the server is asked to log content.
import type { MiddlewareHandler } from "hono";
import type { ServerEnv } from "../server-env.js";

/** What is known about one finished request. */
export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  readonly promptTokens?: number;
  readonly completionTokens?: number;
  /** Only with `logContent`. */
  readonly prompt?: unknown;
  /** Only with `logContent`. */
  readonly output?: unknown;
}

/** Receives each entry and its one-line rendering. */
export type RequestLogWriter = (line: string, entry: RequestLogEntry) => void;

export interface RequestLogOptions {
  write: RequestLogWriter;
  /** Add prompts and outputs to the entries and lines. @default false */
  logContent?: boolean;
}

/** `POST /chat/completions 200 153ms tokens 48/30`. */
export function formatRequestLog(entry: RequestLogEntry): string {
  let line = `${entry.method} ${entry.path} ${entry.status} ${Math.round(entry.durationMs)}ms`;
  if (entry.promptTokens !== undefined)
    line += ` tokens ${entry.promptTokens}/${entry.completionTokens ?? 0}`;
  if (entry.prompt !== undefined) line += ` prompt ${JSON.stringify(entry.prompt)}`;
  if (entry.output !== undefined) line += ` output ${JSON.stringify(entry.output)}`;
  return line;
}

/**
 * Logs every request once, when its work is over.
 * @example
 * ```ts
 * app.use(requestLog({ write: (line) => console.error(line) }));
 * ```
 */
export function requestLog(options: RequestLogOptions): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const start = performance.now();
    await next();
    const write = () => {
      const usage = c.get("usage");
      const content = options.logContent ? c.get("content") : undefined;
      const entry: RequestLogEntry = {
        method: c.req.method,
        path: c.req.path,
        status: c.get("finalStatus") ?? c.res.status,
        durationMs: performance.now() - start,
        ...(usage ? { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens } : {}),
        ...(content ? { prompt: content.prompt, output: content.output } : {}),
      };
      options.write(formatRequestLog(entry), entry);
    };
    const work = c.get("work");
    if (work) void work.then(write, write);
    else write();
  };
}
