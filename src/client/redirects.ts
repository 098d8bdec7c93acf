// Redirects followed by the client itself (P2.6): at most 5 hops, and no secret ever leaves the
// endpoint's origin (Node's fetch forwards `api-key` across origins; here `redirect` is always
// "manual" and the pipeline decides). A hop to another origin drops every secret-named header the
// request carries (Authorization, api-key, x-api-key, Ocp-Apim-Subscription-Key, anything named
// like a key, token, secret or signature) and cookies. A 301, 302 or 303 answering a POST is not
// turned into a bodyless GET (what browsers do, and never what a chat call means): it fails,
// naming where the service points.
import type { Transport, TransportRequest, TransportResponse } from "../internal/platform/transport-types.js";
import { isSecretHeader, redactUrl } from "../internal/redact.js";

const MAX_REDIRECTS = 5;

/** The final response and the URL that gave it, or what went wrong (to follow "POST <url>"). */
export type RedirectResult = (TransportResponse & { readonly url: string }) | { readonly problem: string };

/** Sends `request`, then follows redirects; `request.headers` is changed in place on a change of origin. */
export async function sendFollowingRedirects(
  transport: Transport,
  request: Omit<TransportRequest, "headers"> & { headers: Record<string, string> },
): Promise<RedirectResult> {
  let { url, origin, path } = request;
  const { method, body, headers, signal } = request;
  for (let hop = 0; ; hop++) {
    const response = await transport.send({ url, origin, path, method, headers, body, signal });
    if (response.opaqueRedirect) {
      return {
        problem:
          'was redirected, and this runtime hides where to (fetch with redirect: "manual"); use the final URL as the endpoint.',
      };
    }
    const { status } = response;
    const location = isRedirect(status) ? response.header("location") : null;
    if (location === null) return Object.assign(response, { url });
    response.discard();
    if (hop === MAX_REDIRECTS) return { problem: `was redirected more than ${MAX_REDIRECTS} times.` };
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return { problem: `was redirected (${status}) to ${redactUrl(location)}, which is not a URL.` };
    }
    if (next.protocol !== "http:" && next.protocol !== "https:")
      return { problem: "was redirected to a non-HTTP URL." };
    if (status === 303 || status === 301 || status === 302) {
      if (method !== "GET") {
        return {
          problem:
            `was answered ${status} with Location ${redactUrl(next.href)}. A ${status} would turn the ` +
            `${method} into a GET without its body, so it is not followed: if that URL is right, use it ` +
            "as the endpoint (307 and 308 redirects are followed with the body).",
        };
      }
    }
    if (next.origin !== origin) {
      for (const name of Object.keys(headers)) if (isSecretHeader(name)) delete headers[name];
    }
    url = next.href;
    origin = next.origin;
    path = `${next.pathname}${next.search}`;
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
