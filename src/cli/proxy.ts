// The CLI reads the conventional proxy variables (P2.7); the SDK itself takes a `proxy` option.

/** The proxy URL for `target` from HTTPS_PROXY / HTTP_PROXY (either case), unless NO_PROXY exempts its host. */
export function proxyFor(
  target: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  const pick = (...names: string[]) => names.map((n) => env[n]).find((v) => v !== undefined && v !== "");
  const proxy =
    url.protocol === "https:" ? pick("HTTPS_PROXY", "https_proxy") : pick("HTTP_PROXY", "http_proxy");
  if (proxy === undefined) return undefined;
  const noProxy = pick("NO_PROXY", "no_proxy");
  if (noProxy !== undefined && exempt(url, noProxy)) return undefined;
  return proxy;
}

function exempt(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const port = url.port;
  return noProxy
    .split(/[\s,]+/)
    .filter((entry) => entry !== "")
    .some((entry) => {
      if (entry === "*") return true;
      const [name, entryPort] = entry.toLowerCase().split(/:(?=\d+$)/);
      if (entryPort !== undefined && entryPort !== port) return false;
      const domain = name.replace(/^\*?\./, "");
      return host === domain || host.endsWith(`.${domain}`);
    });
}
