/**
 * The local server (server-and-cli.md S1): the Model Inference API and its OpenAI-style twins over
 * an engine, answered in-process through `fetch` or over HTTP after `listen()`.
 * @module
 */
import { type AddressInfo, Server as NetServer } from "node:net";
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import type { Engine } from "./engine/engine.js";
import { createLlamaEngine } from "./engine/llama-engine.js";
import { createScriptedEngine } from "./engine/scripted-engine.js";
import { type WireEngine, isWireEngine } from "./engine/wire-engine.js";
import { linkAbort } from "../internal/abort.js";
import { HttpError, isHttpError, renderError } from "./http-error.js";
import { type FetchFunction, inProcessFetch } from "./in-process-fetch.js";
import { httpUrl, isLoopbackHost } from "./loopback.js";
import { apiKeyAuth } from "./middleware/auth.js";
import { bodyLimit } from "./middleware/body-limit.js";
import { capacity } from "./middleware/capacity.js";
import { jsonBody } from "./middleware/json-body.js";
import { requestLog } from "./middleware/request-log.js";
import { chatCompletions, readChatCompletions } from "./routes/chat-completions.js";
import { embeddings, readEmbeddings } from "./routes/embeddings.js";
import { health } from "./routes/health.js";
import { info, models } from "./routes/info.js";
import { wireInfo, wireModels, wireRoute } from "./routes/wire.js";
import type { ServerEnv } from "./server-env.js";
import { type ServerOptions, normalizeServerOptions } from "./server-options.js";

/** Where `listen()` serves. */
export interface ListenOptions {
  /** @default "127.0.0.1" */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
}

/** What `close()` takes. */
export interface CloseOptions {
  /** How long in-flight work may finish before it is aborted. @default the server's `shutdownDeadlineMs` */
  deadlineMs?: number;
}

/** A running server. */
export interface InferenceServer extends AsyncDisposable {
  /** Answers in-process, with the global `fetch` signature (it honours `init.signal`). */
  readonly fetch: FetchFunction;
  /** Serves HTTP; resolves to the base URL, e.g. `http://127.0.0.1:41234`. */
  listen(options?: ListenOptions): Promise<string>;
  /** The URL `listen()` resolved to, until `close()`. */
  readonly url: string | undefined;
  /** Stops accepting, lets in-flight work finish within the deadline, aborts the rest, frees the model. */
  close(options?: CloseOptions): Promise<void>;
  /** The engine behind the routes. */
  readonly engine: Engine | WireEngine;
}

/** One entry of the route table: its paths answer `method` through `handlers`. */
interface Route {
  readonly method: "GET" | "POST";
  readonly paths: readonly string[];
  readonly handlers: readonly MiddlewareHandler<ServerEnv>[];
}

/**
 * Loads the model and builds the server.
 * @example
 * ```ts
 * import { createServer } from "ai-inference/server";
 * await using server = await createServer({ modelPath: "model.gguf" });
 * const url = await server.listen({ port: 8080 });
 * ```
 */
export async function createServer(options: ServerOptions): Promise<InferenceServer> {
  const config = normalizeServerOptions(options);
  const ownsEngine = config.engine === undefined;
  const engine: Engine | WireEngine =
    config.engine ??
    (config.replies !== undefined
      ? createScriptedEngine(config.replies)
      : await createLlamaEngine({
          modelPath: config.modelPath!,
          maxConcurrent: config.maxConcurrent,
          ...config.llama,
        }));
  const createdSeconds = Math.floor(Date.now() / 1000);

  const shutdown = new AbortController();
  const inflight = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;
  let hurry: (() => void) | undefined;

  const app = new Hono<ServerEnv>();
  app.onError((error) => {
    if (error instanceof HTTPException && !isHttpError(error)) {
      return renderError(
        new HttpError({ status: error.status, code: "invalid_request", message: error.message }),
      );
    }
    if (!isHttpError(error) && config.log) process.stderr.write(`Internal error: ${error.stack ?? error}\n`);
    return renderError(error);
  });
  // The one route table: it registers the handlers and answers 405 with `Allow` for a known path.
  const limit = capacity({
    maxConcurrent: config.maxConcurrent,
    maxQueue: config.maxQueue,
    retryAfterSeconds: config.retryAfterSeconds,
  });
  const body = [bodyLimit({ maxBytes: config.maxBodyBytes }), jsonBody()] as const;
  const routes: readonly Route[] = [
    ...(isWireEngine(engine) ? wireEngineRoutes(engine) : tokenEngineRoutes(engine)),
    { method: "GET", paths: ["/health"], handlers: [health(() => closing !== undefined)] },
  ];
  function tokenEngineRoutes(engine: Engine): Route[] {
    return [
      {
        method: "POST",
        paths: ["/chat/completions", "/v1/chat/completions"],
        // Cheap validation first; tokenizing and grammars wait for a slot like generation does.
        handlers: [...body, readChatCompletions(engine), limit, chatCompletions(engine)],
      },
      {
        method: "POST",
        paths: ["/embeddings", "/v1/embeddings"],
        handlers: [...body, readEmbeddings(), limit, embeddings(engine)],
      },
      { method: "GET", paths: ["/info", "/v1/info"], handlers: [info(engine)] },
      { method: "GET", paths: ["/v1/models"], handlers: [models(engine, createdSeconds)] },
    ];
  }
  // A wire engine answers the request itself: no capability checks and no generation slots here
  // (its upstream, if any, has its own limits and says so with 429s).
  function wireEngineRoutes(engine: WireEngine): Route[] {
    return [
      {
        method: "POST",
        paths: ["/chat/completions", "/v1/chat/completions"],
        handlers: [...body, wireRoute(engine, "chat")],
      },
      {
        method: "POST",
        paths: ["/embeddings", "/v1/embeddings"],
        handlers: [...body, wireRoute(engine, "embeddings")],
      },
      { method: "GET", paths: ["/info", "/v1/info"], handlers: [wireInfo(engine)] },
      { method: "GET", paths: ["/v1/models"], handlers: [wireModels(engine, createdSeconds)] },
    ];
  }
  const allowed = new Map(routes.flatMap((route) => route.paths.map((path) => [path, route.method])));
  app.notFound((c) => {
    const allow = allowed.get(c.req.path);
    if (allow === undefined) {
      throw new HttpError({
        status: 404,
        code: "not_found",
        message: `No route ${c.req.method} ${c.req.path}.`,
      });
    }
    throw new HttpError({
      status: 405,
      code: "method_not_allowed",
      message: `${c.req.path} answers ${allow} only, not ${c.req.method}.`,
      headers: { allow },
    });
  });

  if (config.log) app.use(requestLog({ write: config.log, logContent: config.logContent }));
  // Track every request until its work ends (a stream outlives its handler), for close().
  app.use(async (c, next) => {
    if (closing && c.req.path !== "/health") {
      throw new HttpError({
        status: 503,
        code: "server_shutting_down",
        message: "The server is shutting down.",
      });
    }
    // Linked by hand, not with AbortSignal.any: on Node 20 each `any` signal outlives the
    // request (about 66 bytes per request, issue 10), and the links are undone when the work ends.
    const work = new AbortController();
    const unlinkRequest = linkAbort(c.req.raw.signal, work);
    const unlinkShutdown = linkAbort(shutdown.signal, work);
    c.set("workSignal", work.signal);
    c.set("overHttp", (c.env as { outgoing?: unknown } | undefined)?.outgoing !== undefined);
    let done!: () => void;
    const tracked = new Promise<void>((resolve) => (done = resolve));
    inflight.add(tracked);
    try {
      await next();
    } finally {
      void (c.get("work") ?? Promise.resolve()).finally(() => {
        unlinkRequest();
        unlinkShutdown();
        inflight.delete(tracked);
        done();
      });
    }
  });
  if (config.corsOrigins.length > 0) {
    app.use(
      cors({
        // "*" among the origins means any origin; Hono matches a list literally, so it must be passed alone.
        // Credentials stay off: a wildcard origin with credentials is refused by browsers anyway.
        origin: config.corsOrigins.includes("*") ? "*" : [...config.corsOrigins],
        exposeHeaders: ["retry-after", "x-request-id"],
        maxAge: 600,
      }),
    );
  }
  if (config.apiKey !== undefined) app.use(apiKeyAuth({ apiKey: config.apiKey, openPaths: ["/health"] }));

  for (const route of routes) app.on(route.method, [...route.paths], ...route.handlers);

  const fetch = inProcessFetch((request) => app.fetch(request));
  let httpServer: Server | undefined;
  let url: string | undefined;

  async function listen(listenOptions: ListenOptions = {}): Promise<string> {
    const host = listenOptions.host ?? "127.0.0.1";
    const port = listenOptions.port ?? 0;
    if (closing) throw new Error("The server is closed.");
    if (httpServer) throw new Error(`The server is already listening at ${url}.`);
    if (!isLoopbackHost(host) && config.apiKey === undefined && !config.insecureNoAuth) {
      throw new Error(
        `Refusing to listen on ${host} without an API key: anyone who reaches it could use the model. ` +
          "Set apiKey (--api-key), or pass insecureNoAuth (--insecure-no-auth) to allow it.",
      );
    }
    // overrideGlobalObjects: false keeps the process's own Request/Response (the SDK's client may share it).
    const { headersTimeoutMs, requestTimeoutMs } = config;
    const server = createAdaptorServer({
      fetch: app.fetch,
      overrideGlobalObjects: false,
      serverOptions: {
        headersTimeout: headersTimeoutMs,
        requestTimeout: requestTimeoutMs,
        // Node checks both timeouts on this interval (30 s by default): a tenth of the shorter keeps them close to exact.
        connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(headersTimeoutMs / 10))),
      },
    }) as Server;
    httpServer = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      httpServer = undefined;
      throw error;
    }
    url = httpUrl(host, (server.address() as AddressInfo).port);
    return url;
  }

  async function closeNow(deadlineMs: number): Promise<void> {
    const server = httpServer;
    // net.Server's own close stops accepting. http.Server's would also stop the interval on which
    // Node checks its request and header timeouts, and a client stalled mid-upload would then be
    // bound by nothing until the deadline (issue 10): those timeouts stay in force while closing.
    // Bun's http.Server is no net.Server (and has no such interval): its own close is the one.
    const stopped = server
      ? new Promise<void>((resolve) => {
          if (server instanceof NetServer) NetServer.prototype.close.call(server, () => resolve());
          else (server as { close(done: () => void): void }).close(() => resolve());
        })
      : Promise.resolve();
    // Keep-alive connections go as soon as they are idle, now and while in-flight work finishes.
    server?.closeIdleConnections();
    const sweep = server ? setInterval(() => server.closeIdleConnections(), 100) : undefined;
    if (inflight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        hurry = resolve;
        timer = setTimeout(resolve, deadlineMs);
      });
      await Promise.race([Promise.all(inflight), deadline]);
      clearTimeout(timer);
    }
    clearInterval(sweep);
    shutdown.abort(
      new HttpError({
        status: 503,
        code: "server_shutting_down",
        message: "The server shut down during the request.",
      }),
    );
    // Past the deadline every connection is dropped, stalled uploads and idle ones included; the
    // requests still reading a body then end too (json-body.ts races the read with the shutdown).
    server?.closeAllConnections();
    await Promise.all(inflight);
    server?.close(); // http.Server's part: its timeout checks stop (the listener is already closed)
    await stopped;
    httpServer = undefined;
    url = undefined;
    if (ownsEngine) await engine.close();
  }

  const close = (closeOptions: CloseOptions = {}) => {
    // A second call with no grace cuts the wait of a close already under way.
    if (closing && closeOptions.deadlineMs === 0) hurry?.();
    closing ??= closeNow(closeOptions.deadlineMs ?? config.shutdownDeadlineMs);
    return closing;
  };

  return {
    fetch,
    listen,
    get url() {
      return url;
    },
    close,
    [Symbol.asyncDispose]: () => close(),
    engine,
  };
}
