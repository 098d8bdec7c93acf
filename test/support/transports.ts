// P1.11: the client suite runs on both transport paths. On Node.js the default transport is
// undici's request API; passing `fetch` (here Node's global one) takes the fetch path instead.
import type { ClientOptions } from "../../src/client/options.js";

export interface TransportCase {
  readonly name: "undici" | "fetch";
  /** Client options that select the transport. */
  readonly options: Pick<ClientOptions, "fetch">;
}

export const transports: readonly TransportCase[] = [
  { name: "undici", options: {} },
  { name: "fetch", options: { fetch: (input, init) => globalThis.fetch(input, init) } },
];
