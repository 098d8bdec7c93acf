// One HTTP(S) GET for the model download, on node:http and node:https (issue 10: undici 7's fetch
// crashed on 3 of 8 downloads from a plain mirror with `assert(!this.paused)`, a bug of its whole
// 7.x line). Proxies from the environment are honoured as before (P2.7): an https address through
// a CONNECT tunnel, an http one by asking the proxy for the absolute URL. No connection is pooled,
// so nothing keeps the process alive once the download has ended, however it ended.
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import tls from "node:tls";
import { proxyFor } from "./proxy.js";

export interface HttpGetOptions {
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** How long to wait for the response headers (proxy and redirects included). */
  readonly timeoutMs: number;
  /** @default 5 */
  readonly maxRedirects?: number;
}

/** A response whose status is not a redirect; the caller reads or destroys its body. */
export interface HttpGetResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: http.IncomingMessage;
  /** The address that answered, after redirects. */
  readonly url: string;
}

/** Thrown for a failure before the response (the cause keeps the system error and its `code`). */
export class HttpGetError extends Error {
  override name = "HttpGetError";
}

const redirects = new Set([301, 302, 303, 307, 308]);

/** GETs `url`, following redirects, through the environment's proxy. */
export async function httpGet(url: string, options: HttpGetOptions): Promise<HttpGetResponse> {
  const deadline = Date.now() + options.timeoutMs;
  let current = url;
  for (let hop = 0; ; hop++) {
    const response = await getOnce(current, options, deadline);
    const location = response.headers.location;
    if (!redirects.has(response.status) || location === undefined) return { ...response, url: current };
    response.body.destroy();
    if (hop >= (options.maxRedirects ?? 5)) throw new HttpGetError(`more than ${hop} redirects`);
    current = new URL(location, current).href;
  }
}

async function getOnce(
  url: string,
  options: HttpGetOptions,
  deadline: number,
): Promise<Omit<HttpGetResponse, "url">> {
  const target = new URL(url);
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new HttpGetError(`not an http or https address: ${url}`);
  }
  const proxy = proxyFor(url, options.env);
  const proxyUrl = proxy === undefined ? undefined : new URL(proxy);
  const secure = target.protocol === "https:";
  const cleanup: (() => void)[] = [];
  const timeLeft = () => Math.max(0, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise((resolve, reject) => {
      const fail = (error: unknown) => {
        for (const undo of cleanup.splice(0)) undo();
        reject(error);
      };
      timer = setTimeout(
        () => fail(new HttpGetError(`no response within ${Math.round(options.timeoutMs / 1000)} s`)),
        timeLeft(),
      );
      const send = (connection?: Socket) => {
        const viaProxy = proxyUrl !== undefined && !secure;
        const request = (secure ? https : http).request({
          protocol: viaProxy ? proxyUrl.protocol : target.protocol,
          hostname: (viaProxy ? proxyUrl : target).hostname.replace(/^\[|\]$/g, ""),
          port: (viaProxy ? proxyUrl : target).port || undefined,
          path: viaProxy ? target.href : `${target.pathname}${target.search}`,
          method: "GET",
          headers: {
            ...options.headers,
            host: target.host,
            ...(viaProxy ? proxyAuthorization(proxyUrl) : {}),
          },
          // A connection of its own, never a pooled one (`agent: false`), or the tunnel's socket.
          ...(connection
            ? { createConnection: () => tls.connect({ socket: connection, servername: target.hostname }) }
            : { agent: false }),
        });
        cleanup.push(() => request.destroy());
        request.on("error", fail);
        request.on("response", (response) => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: response });
        });
        request.end();
      };
      if (proxyUrl === undefined || !secure) return send();
      // An https address through the proxy: a CONNECT tunnel, then TLS with the real host inside it.
      const tunnel = (proxyUrl.protocol === "https:" ? https : http).request({
        hostname: proxyUrl.hostname.replace(/^\[|\]$/g, ""),
        port: proxyUrl.port || undefined,
        method: "CONNECT",
        path: `${target.hostname}:${target.port || 443}`,
        agent: false,
        headers: { host: `${target.hostname}:${target.port || 443}`, ...proxyAuthorization(proxyUrl) },
      });
      cleanup.push(() => tunnel.destroy());
      tunnel.on("error", fail);
      tunnel.on("connect", (response, socket) => {
        cleanup.push(() => socket.destroy());
        if (response.statusCode !== 200) {
          fail(
            new HttpGetError(`the proxy ${proxyUrl.host} refused the tunnel: HTTP ${response.statusCode}`),
          );
          return;
        }
        send(socket);
      });
      tunnel.end();
    });
  } finally {
    clearTimeout(timer);
  }
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (proxy.username === "") return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { "proxy-authorization": `Basic ${Buffer.from(credentials).toString("base64")}` };
}
