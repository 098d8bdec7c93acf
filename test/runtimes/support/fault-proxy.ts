// The server cannot be told to fail or to stall, so two steps of the runtime scenario go through
// this proxy on loopback.
// - `/fail-once/ID/PORT/rest` answers a real HTTP 503 to the first request for each ID, then
//   forwards every request to 127.0.0.1:PORT/rest, streaming both ways. Preflights are forwarded,
//   never failed, so that browsers reach the 503 itself; the 503 carries the CORS headers a browser
//   needs to read it (without them it would see a network error, which the client also retries, and
//   the test would prove less).
// - `/hold/ID/PORT/rest` forwards the request, then passes the answer's server-sent events up to and
//   including the first one that carries text, and then holds the stream open, sending nothing more,
//   until the client leaves. A client that aborts mid-stream is then surely mid-stream, whatever the
//   runtime's buffering and however fast the model is: without it, a runtime that reads the whole
//   short answer before the first update is handled sees the call end before the abort.
//   `GET /held/ID` then answers `{"closed":true}` once that client has closed the connection (so the
//   abort reached the network). A client that never leaves is cut off after holdLimitMs, so that a
//   runtime ignoring the abort fails the step instead of hanging it; `/held/ID` then says
//   `{"closed":false}`.
import { type IncomingMessage, type ServerResponse, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface FaultProxy {
  readonly url: string;
  /** How many requests (preflights aside) each ID received on the fail-once route. */
  readonly attempts: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

const failOnceRoute = /^\/fail-once\/([\w.-]{1,100})\/(\d{1,5})(\/.*)?$/;
const holdRoute = /^\/hold\/([\w.-]{1,100})\/(\d{1,5})(\/.*)?$/;
const heldRoute = /^\/held\/([\w.-]{1,100})$/;
/** Only a client that never leaves waits this long: a bound on the failure, not a timing assumption. */
const holdLimitMs = 30_000;

export async function startFaultProxy(): Promise<FaultProxy> {
  const attempts = new Map<string, number>();
  /** Per hold ID: whether the client closed the held response, once it is closed. */
  const heldClosed = new Map<string, Promise<boolean>>();
  const server = createServer((req, res) => {
    const hold = holdRoute.exec(req.url ?? "");
    if (hold) {
      const [, id, port, rest = "/"] = hold;
      if (req.method === "OPTIONS") return forward(req, res, Number(port), rest, pipeAll);
      let cutOff = false;
      const limit = setTimeout(() => {
        cutOff = true;
        res.destroy();
      }, holdLimitMs).unref();
      const closedByClient = new Promise<boolean>((resolve) =>
        res.once("close", () => {
          clearTimeout(limit);
          resolve(!cutOff);
        }),
      );
      heldClosed.set(id, closedByClient);
      forward(req, res, Number(port), rest, holdAfterFirstText);
      return;
    }
    const held = heldRoute.exec(req.url ?? "");
    if (held) {
      void answerHeld(heldClosed.get(held[1]), res);
      return;
    }
    const match = failOnceRoute.exec(req.url ?? "");
    if (!match) {
      res.writeHead(404, { "access-control-allow-origin": "*" }).end();
      return;
    }
    const [, id, port, rest = "/"] = match;
    if (req.method !== "OPTIONS") {
      const seen = attempts.get(id) ?? 0;
      attempts.set(id, seen + 1);
      if (seen === 0) {
        req.resume();
        res
          .writeHead(503, {
            "content-type": "application/json",
            "retry-after-ms": "20",
            "access-control-allow-origin": "*",
            "access-control-expose-headers": "retry-after-ms",
          })
          .end(JSON.stringify({ error: { code: "unavailable", message: "Failing once, on purpose." } }));
        return;
      }
    }
    forward(req, res, Number(port), rest, pipeAll);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    attempts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answerHeld(closedByClient: Promise<boolean> | undefined, res: ServerResponse): Promise<void> {
  const headers = { "content-type": "application/json", "access-control-allow-origin": "*" };
  if (closedByClient === undefined) return void res.writeHead(404, headers).end('{"error":"no such hold"}');
  res.writeHead(200, headers).end(JSON.stringify({ closed: await closedByClient }));
}

/** Passes the upstream answer's body on as it comes. */
type Relay = (answer: IncomingMessage, res: ServerResponse, stopUpstream: () => void) => void;

const pipeAll: Relay = (answer, res) => void answer.pipe(res);

/**
 * Passes server-sent events on, whole, until one carries text; then stops the upstream request (the
 * server stops generating) and leaves the response open: it ends when the client goes away, or when
 * the proxy closes. An answer that is not an event stream (an error) is passed on as it is.
 */
const holdAfterFirstText: Relay = (answer, res, stopUpstream) => {
  if (!String(answer.headers["content-type"]).startsWith("text/event-stream")) {
    answer.pipe(res);
    return;
  }
  let pending = "";
  let holding = false;
  answer.setEncoding("utf8");
  answer.on("end", () => holding || res.end(pending)); // no text came: nothing to hold
  answer.on("data", (text: string) => {
    pending += text.replaceAll("\r\n", "\n");
    let end: number;
    while ((end = pending.indexOf("\n\n")) !== -1) {
      const event = pending.slice(0, end + 2);
      pending = pending.slice(end + 2);
      res.write(event);
      if (carriesText(event)) {
        holding = true;
        stopUpstream();
        return;
      }
    }
  });
};

function carriesText(event: string): boolean {
  const data = event
    .split("\n")
    .filter((line) => line.startsWith("data:"))
    .map((line) => line.slice(5).trim())
    .join("\n");
  try {
    const content: unknown = JSON.parse(data)?.choices?.[0]?.delta?.content;
    return typeof content === "string" && content.length > 0;
  } catch {
    return false; // "[DONE]", or not JSON
  }
}

function forward(req: IncomingMessage, res: ServerResponse, port: number, path: string, relay: Relay): void {
  const upstream = request(
    {
      host: "127.0.0.1",
      port,
      path,
      method: req.method,
      headers: { ...req.headers, host: `127.0.0.1:${port}` },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      res.flushHeaders();
      relay(answer, res, () => {
        held = true;
        upstream.destroy();
      });
    },
  );
  let held = false;
  // A failed upstream fails the answer, unless the relay stopped it on purpose.
  upstream.on("error", () => held || res.destroy());
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
}
