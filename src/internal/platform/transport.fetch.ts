// Browsers, Deno and Bun (the `browser`, `deno`, `bun` and default conditions of `#platform/transport`):
// requests go through the runtime's `fetch`. Nothing here loads undici.
import { createFetchTransport } from "./fetch-transport.js";
import type { Transport, TransportSettings } from "./transport-types.js";

export { createFetchTransport };

/** The name tests and logs report for the default transport of this runtime. */
export const defaultTransportName = "fetch";

/** The default transport of this runtime: its global `fetch`. */
export function createDefaultTransport(settings: TransportSettings): Transport {
  if (settings.proxy !== undefined || settings.dispatcher !== undefined) {
    throw new TypeError(
      `The ${settings.proxy !== undefined ? "proxy" : "dispatcher"} option works on Node.js only; ` +
        "in this runtime, pass a fetch option that goes through your proxy.",
    );
  }
  return createFetchTransport();
}
