// Where the server may listen without an API key (S1.7): loopback only.
import { isIP } from "node:net";

/** True for `localhost` and loopback addresses (127.0.0.0/8, ::1, and IPv4-mapped 127.x). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === "localhost") return true;
  const kind = isIP(bare);
  if (kind === 4) return bare.startsWith("127.");
  if (kind === 6) {
    const lower = bare.toLowerCase();
    return (
      lower === "::1" || /^(?:0{0,4}:){0,5}(?::|0{0,4}:)ffff:127\./.test(lower) || lower === "0:0:0:0:0:0:0:1"
    );
  }
  return false;
}

/** `http://host:port`, with IPv6 hosts in brackets. */
export function httpUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
