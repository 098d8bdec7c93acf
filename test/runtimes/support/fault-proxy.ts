// The server cannot be told to fail, so the retry step of the runtime scenario goes through this
// proxy on loopback: `/fail-once/ID/PORT/rest` answers a real HTTP 503 to the first request for
// each ID, then forwards every request to 127.0.0.1:PORT/rest, streaming both ways. Preflights
// are forwarded, never failed, so that browsers reach the 503 itself; the 503 carries the CORS
// headers a browser needs to read it (without them it would see a network error, which the client
// also retries, and the test would prove less).
import { type IncomingMessage, type ServerResponse, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface FaultProxy {
  readonly url: string;
  /** How many requests (preflights aside) each ID received. */
  readonly attempts: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

const route = /^\/fail-once\/([\w.-]{1,100})\/(\d{1,5})(\/.*)?$/;

export async function startFaultProxy(): Promise<FaultProxy> {
  const attempts = new Map<string, number>();
  const server = createServer((req, res) => {
    const match = route.exec(req.url ?? "");
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
    forward(req, res, Number(port), rest);
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

function forward(req: IncomingMessage, res: ServerResponse, port: number, path: string): void {
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
      answer.pipe(res);
    },
  );
  upstream.on("error", () => res.destroy());
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
}
