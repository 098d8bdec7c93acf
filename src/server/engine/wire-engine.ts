// The second kind of engine (S2.1): one that answers the wire request itself instead of producing
// tokens for the server to wrap. The gateway (`serve --upstreams`, a router over upstream
// deployments, built by the CLI so that the server never imports the client) and the scripted
// engine (`serve --replies`) are wire engines. The server only parses the JSON body, guards the
// routes (auth, body limit) and writes what the engine answers: the local engine's capability
// checks (S1.5) do not apply, the engine (or its upstream) decides.
import type { JsonObject } from "../request/fields.js";

/** One request as a wire engine receives it. */
export interface WireRequest {
  /** The parsed JSON body, as the client sent it. */
  readonly body: JsonObject;
  /** The client's request headers (the server's own `api-key`/`Authorization` included: never forward them). */
  readonly headers: Headers;
  /** Aborts when the client goes away or the server shuts down. */
  readonly signal: AbortSignal;
}

/**
 * What a wire engine answers: a JSON body with its status and headers, or (status 200) a stream
 * of JSON events, each written as `data: <json>` as soon as it is yielded and followed by
 * `data: [DONE]`. An event stream that throws after its first event ends with an error event
 * (`data: {"error": ...}`, P5.4): an `HttpError`'s envelope, else a bare 500's.
 */
export type WireReply =
  | {
      readonly status: number;
      readonly headers?: Readonly<Record<string, string>>;
      /** Written as JSON; a string is written as it is (`text/plain` unless `headers` say otherwise). */
      readonly body: unknown;
    }
  | {
      readonly headers?: Readonly<Record<string, string>>;
      readonly events: AsyncIterable<unknown>;
    };

/** A model `/v1/models` lists. */
export interface WireModel {
  readonly id: string;
  /** `owned_by` in the list. @default "ai-inference" */
  readonly ownedBy?: string;
}

/** An engine that answers wire requests itself. */
export interface WireEngine {
  /** Tells this engine from a token engine (`Engine`). */
  readonly kind: "wire";
  /** What `/info` says. */
  readonly info: {
    readonly modelName: string;
    readonly modelType: string;
    readonly modelProviderName: string;
  };
  /** What `/v1/models` lists. */
  models(): readonly WireModel[];
  /** `POST /chat/completions` (and `/v1/...`). */
  chat(request: WireRequest): Promise<WireReply>;
  /** `POST /embeddings` (and `/v1/...`). */
  embeddings(request: WireRequest): Promise<WireReply>;
  /** Frees what the engine holds. */
  close(): Promise<void>;
}

/** True for a `WireEngine` (a token engine has no `kind`). */
export function isWireEngine(engine: object): engine is WireEngine {
  return (engine as { kind?: unknown }).kind === "wire";
}
