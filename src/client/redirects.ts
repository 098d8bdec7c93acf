// Redirects followed by the client itself (P2.6): at most 5 hops, and the credentials never leave
// the endpoint's origin (Node's fetch forwards `api-key` across origins; here `redirect` is always
// "manual" and the pipeline decides).
import type { Transport, TransportRequest, TransportResponse } from "../internal/platform/transport-types.js";

const MAX_REDIRECTS = 5;

/** The final response and the URL that gave it, or what went wrong (to follow "POST <url>"). */
export type RedirectResult = (TransportResponse & { readonly url: string }) | { readonly problem: string };

/** Sends `request`, then follows redirects; `request.headers` is changed in place on a change of origin. */
export async function sendFollowingRedirects(
  transport: Transport,
  request: Omit<TransportRequest, "headers"> & { headers: Record<string, string> },
): Promise<RedirectResult> {
  let { url, origin, path, method, body } = request;
  const { headers, signal } = request;
  for (let hop = 0; ; hop++) {
    const response = await transport.send({ url, origin, path, method, headers, body, signal });
    if (response.opaqueRedirect) {
      return {
        problem:
          'was redirected, and this runtime hides where to (fetch with redirect: "manual"); use the final URL as the endpoint.',
      };
    }
    const location = isRedirect(response.status) ? response.header("location") : null;
    if (location === null) return Object.assign(response, { url });
    response.discard();
    if (hop === MAX_REDIRECTS) return { problem: `was redirected more than ${MAX_REDIRECTS} times.` };
    const next = new URL(location, url);
    if (next.protocol !== "http:" && next.protocol !== "https:")
      return { problem: "was redirected to a non-HTTP URL." };
    if (next.origin !== origin) {
      delete headers.authorization;
      delete headers["api-key"];
    }
    // As browsers do: 303, and 301/302 after a POST, become a GET without a body.
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === "POST")
    ) {
      method = "GET";
      body = undefined;
      delete headers["content-type"];
    }
    url = next.href;
    origin = next.origin;
    path = `${next.pathname}${next.search}`;
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}
