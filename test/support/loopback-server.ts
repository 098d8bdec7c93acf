// A real HTTP server on 127.0.0.1, port 0, for client tests (style.md 2.6; the idea of ky's
// test/helpers/create-http-test-server.ts). It records every request it receives (method, path,
// query, headers, body) and answers from a plan: exact bytes with chosen splits and pauses, a reset
// connection, a stall, no answer at all, or a hand-written response on the raw socket.
import http, { type IncomingHttpHeaders, type ServerResponse } from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { TestContext } from "node:test";
import { setTimeout as delay } from "node:timers/promises";

/** A request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly path: string;
  /** The query parameters (the last value of a repeated one). */
  readonly query: Readonly<Record<string, string>>;
  /** Lowercase names, as node:http gives them. */
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The body as UTF-8 text. */
  readonly text: string;
  /** The body parsed as JSON (throws when it is not JSON). */
  json(): unknown;
}

/** How to answer one request. Fields combine in the order listed. */
export interface ReplyPlan {
  /** Wait before doing anything (e.g. to outlast a header timeout). */
  readonly delayMs?: number;
  /** Close the connection with a TCP reset before writing anything. */
  readonly resetBeforeHeaders?: boolean;
  /** Never answer (the connection stays open until the test ends). */
  readonly neverAnswer?: boolean;
  /** Write these exact bytes on the socket instead of an HTTP response built by node:http. */
  readonly raw?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** @default 200 */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  /** The whole body: bytes or text as is, anything else as JSON. */
  readonly body?: unknown;
  /** The body as pieces, each written on its own (with `pauseMs` between them). */
  readonly chunks?: readonly (string | Uint8Array)[];
  /** Pause before each chunk after the first, so that reads see the splits. @default 0 */
  readonly pauseMs?: number;
  /** After the headers (and any chunks), stop writing and keep the connection open. */
  readonly stallAfterHeaders?: boolean;
  /** After the headers (and any chunks), close the connection with a TCP reset. */
  readonly resetAfterHeaders?: boolean;
}

/** Answers a request by hand; `reply` writes a plan. */
export type Handler = (
  request: RecordedRequest,
  reply: (plan: ReplyPlan) => Promise<void>,
  response: ServerResponse,
) => void | Promise<void>;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` (or `https://`), no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** How many connections clients opened (TLS ones once their handshake is done). */
  readonly connections: number;
  /**
   * Answers request n with `plans[n]`, and every later one with the last plan. A function answers
   * by hand. Replaces what was planned before.
   */
  reply(...plans: (ReplyPlan | Handler)[]): LoopbackServer;
  /** Closes every connection and the server. */
  close(): Promise<void>;
}

/** A certificate and its key (PEM) for an HTTPS loopback server (test/support/tls.ts makes one). */
export interface ServerCertificate {
  readonly key: string;
  readonly cert: string;
}

/** How a loopback server runs, beside its plans. */
export interface LoopbackServerOptions {
  /** Serve HTTPS with this certificate. */
  readonly certificate?: ServerCertificate;
  /**
   * How long an idle kept-alive connection stays open, announced in `Keep-Alive: timeout=`.
   * Clients built on undici keep a connection only when the announced timeout exceeds 2 s (their
   * safety margin), so tests of connection reuse need more than the short default. @default 1000
   */
  readonly keepAliveTimeoutMs?: number;
}

/** Starts a server; close it when the test ends (or use `useLoopbackServer`). */
export function startLoopbackServer(...plans: (ReplyPlan | Handler)[]): Promise<LoopbackServer> {
  return startLoopbackServerWith({}, ...plans);
}

/** Starts a server with `options` (HTTPS, keep-alive); close it when the test ends. */
export async function startLoopbackServerWith(
  options: LoopbackServerOptions,
  ...plans: (ReplyPlan | Handler)[]
): Promise<LoopbackServer> {
  const { certificate } = options;
  const requests: RecordedRequest[] = [];
  let planned = plans;
  const sockets = new Set<Socket>();
  let connections = 0;
  const handle = (req: http.IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = record(req.method ?? "", req.url ?? "/", req.headers, Buffer.concat(chunks));
      const index = requests.push(recorded) - 1;
      const plan = planned.length === 0 ? noPlan : planned[Math.min(index, planned.length - 1)];
      const reply = (p: ReplyPlan): Promise<void> => writePlan(res, p);
      Promise.resolve(typeof plan === "function" ? plan(recorded, reply, res) : reply(plan)).catch(
        (error) => {
          // A client that went away mid-reply is part of many tests; anything else is a test bug.
          if (!res.socket?.destroyed) console.error("loopback server handler failed:", error);
        },
      );
    });
  };
  const server =
    certificate === undefined ? http.createServer(handle) : https.createServer(certificate, handle);
  server.on("connection", (socket: Socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    if (certificate === undefined) connections++;
  });
  server.on("secureConnection", () => connections++);
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const loopback: LoopbackServer = {
    url: `${certificate === undefined ? "http" : "https"}://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return connections;
    },
    reply(...next) {
      planned = next;
      return loopback;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return loopback;
}

/** Starts a server that is closed when the test `t` ends. */
export async function useLoopbackServer(
  t: TestContext,
  ...plans: (ReplyPlan | Handler)[]
): Promise<LoopbackServer> {
  const server = await startLoopbackServer(...plans);
  t.after(() => server.close());
  return server;
}

/** Starts a server with `options` (HTTPS, keep-alive) that is closed when the test `t` ends. */
export async function useLoopbackServerWith(
  t: TestContext,
  options: LoopbackServerOptions,
  ...plans: (ReplyPlan | Handler)[]
): Promise<LoopbackServer> {
  const server = await startLoopbackServerWith(options, ...plans);
  t.after(() => server.close());
  return server;
}

const noPlan: ReplyPlan = {
  status: 500,
  headers: { "content-type": "text/plain" },
  body: "the loopback server has no reply planned for this request",
};

function record(method: string, url: string, headers: IncomingHttpHeaders, body: Buffer): RecordedRequest {
  const parsed = new URL(url, "http://127.0.0.1");
  return {
    method,
    url,
    path: parsed.pathname,
    query: Object.fromEntries(parsed.searchParams),
    headers,
    body,
    text: body.toString("utf8"),
    json: () => JSON.parse(body.toString("utf8")),
  };
}

/** Writes `plan` on `res`; resolves when done (or when the plan stalls). */
export async function writePlan(res: ServerResponse, plan: ReplyPlan): Promise<void> {
  const socket = res.socket!;
  if (plan.delayMs) await delay(plan.delayMs);
  if (plan.resetBeforeHeaders) return reset(socket);
  if (plan.neverAnswer) return;
  if (plan.raw !== undefined) {
    const pieces = Array.isArray(plan.raw) ? plan.raw : [plan.raw];
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0 && plan.pauseMs) await delay(plan.pauseMs);
      await new Promise<void>((resolve) => socket.write(pieces[i] as string | Uint8Array, () => resolve()));
    }
    if (plan.resetAfterHeaders) return reset(socket);
    if (!plan.stallAfterHeaders) socket.end();
    return;
  }
  const whole = plan.body === undefined ? undefined : toBytes(plan.body);
  const headers: Record<string, string | readonly string[]> = { ...plan.headers };
  const hasType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
  if (
    !hasType &&
    plan.body !== undefined &&
    typeof plan.body !== "string" &&
    !(plan.body instanceof Uint8Array)
  ) {
    headers["content-type"] = "application/json";
  }
  res.writeHead(plan.status ?? 200, headers as http.OutgoingHttpHeaders);
  res.flushHeaders();
  const pieces = plan.chunks ?? (whole === undefined ? [] : [whole]);
  for (let i = 0; i < pieces.length; i++) {
    if (i > 0 && plan.pauseMs) await delay(plan.pauseMs);
    if (socket.destroyed) return;
    await new Promise<void>((resolve) => res.write(pieces[i], () => resolve()));
  }
  if (plan.resetAfterHeaders) {
    await delay(20); // let the headers and chunks reach the client before the reset
    return reset(socket);
  }
  if (plan.stallAfterHeaders) return;
  res.end();
}

function toBytes(body: unknown): string | Uint8Array {
  if (typeof body === "string" || body instanceof Uint8Array) return body;
  return JSON.stringify(body);
}

function reset(socket: Socket): void {
  // A TCP reset (RST), not a clean close: what a crashed proxy or a dropped connection looks like.
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
  else socket.destroy();
}
