// The user agent of P2.5: `ai-inference-js/<version> <runtime>/<version> (<platform>)`, naming the
// runtime actually running (Node.js, Deno, Bun, or a browser, where the header cannot be set).
import { SDK_VERSION } from "./version.js";

/** The runtime, as the user agent names it. */
export interface RuntimeInfo {
  readonly name: "Node.js" | "Deno" | "Bun" | "browser" | "unknown";
  readonly version: string;
  readonly platform: string;
}

interface Globals {
  Deno?: { version?: { deno?: string }; build?: { os?: string; arch?: string } };
  process?: { versions?: { node?: string; bun?: string }; platform?: string; arch?: string };
  navigator?: { userAgent?: string };
  document?: unknown;
}

/** Detects the runtime from its globals (Bun and Deno also define `process`, so they come first). */
export function detectRuntime(globals: Globals = globalThis as Globals): RuntimeInfo {
  const deno = globals.Deno;
  if (deno?.version?.deno !== undefined) {
    return { name: "Deno", version: deno.version.deno, platform: `${deno.build?.os}; ${deno.build?.arch}` };
  }
  const process = globals.process;
  const platform = `${process?.platform}; ${process?.arch}`;
  if (process?.versions?.bun !== undefined) return { name: "Bun", version: process.versions.bun, platform };
  if (process?.versions?.node !== undefined) {
    return { name: "Node.js", version: process.versions.node, platform };
  }
  if (globals.document !== undefined && globals.navigator?.userAgent !== undefined) {
    return { name: "browser", version: "", platform: globals.navigator.userAgent };
  }
  return { name: "unknown", version: "", platform: "unknown" };
}

/**
 * The user agent header for this runtime: its name (`user-agent`, or `x-ms-useragent` in browsers,
 * which forbid setting `User-Agent`) and value, with the caller's prefix first.
 */
export function userAgentHeader(
  prefix: string | undefined,
  runtime: RuntimeInfo = detectRuntime(),
): [name: string, value: string] {
  const own =
    runtime.name === "browser"
      ? `ai-inference-js/${SDK_VERSION} (${runtime.platform})`
      : `ai-inference-js/${SDK_VERSION} ${runtime.name}/${runtime.version} (${runtime.platform})`;
  const value = prefix === undefined || prefix === "" ? own : `${prefix} ${own}`;
  return [runtime.name === "browser" ? "x-ms-useragent" : "user-agent", value];
}
