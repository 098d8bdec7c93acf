// The headers of each attempt (P2.2, P2.3, P2.5) and the secrets they carry (P3.3): what the
// credential adds (read at every request, so that a rotated key reaches every header and every
// retry), the defaults, and the client's and the call's own headers.
import { mergeHeaders } from "../internal/headers.js";
import { secretsOfHeaders } from "../internal/redact.js";
import { type Credential, TokenCache, isTokenCredential } from "./credentials.js";
import type { CallSettings, NormalizedClientOptions } from "./options.js";

/** What the headers of one attempt depend on (the pipeline's call). */
export interface HeadersCall {
  readonly stream: boolean;
  readonly requestId: string;
  readonly request: {
    readonly body: string | Uint8Array | undefined;
    readonly passThrough: boolean;
    readonly settings: CallSettings;
  };
}

export class RequestHeaders {
  readonly #options: NormalizedClientOptions;
  readonly #credential: Credential;
  readonly #tokens: TokenCache | undefined;

  constructor(options: NormalizedClientOptions, credential: Credential) {
    this.#options = options;
    this.#credential = credential;
    this.#tokens = isTokenCredential(credential) ? new TokenCache(credential, options.scopes) : undefined;
  }

  /** Whether requests carry a bearer token (which plain http:// must not carry, P2.3). */
  get usesTokens(): boolean {
    return this.#tokens !== undefined;
  }

  /** The credential's secret as it is now (the key, or the latest token), if any. */
  credentialSecrets(): string[] {
    if (this.#tokens !== undefined) return this.#tokens.current === undefined ? [] : [this.#tokens.current];
    const key = (this.#credential as { key?: unknown } | null)?.key;
    return typeof key === "string" ? [key] : [];
  }

  /**
   * Every secret a call's errors and log lines must not show: the credential's, the client's
   * (endpoint userinfo and query, secret headers) and those of the call's own headers.
   */
  secretsOf(settings: CallSettings): string[] {
    const secrets = [...this.credentialSecrets(), ...this.#options.secrets];
    const { headers } = settings;
    if (headers === undefined) return secrets;
    const record: Record<string, string | null | undefined> = {};
    mergeHeaders(record as Record<string, string>, headers);
    return [...secrets, ...secretsOfHeaders(record)];
  }

  /**
   * The headers of one attempt. Getting a token is part of the attempt: `signal` (its timeout and
   * the caller's abort) ends the wait for one.
   */
  async build(call: HeadersCall, signal: AbortSignal): Promise<Record<string, string>> {
    const { request } = call;
    const headers: Record<string, string> = {
      accept: call.stream ? "text/event-stream" : "application/json",
      "x-ms-client-request-id": call.requestId,
    };
    if (request.body !== undefined) headers["content-type"] = "application/json";
    if (request.passThrough) headers["extra-parameters"] = "pass-through";
    const credential = this.#credential;
    if (this.#tokens !== undefined) {
      headers.authorization = `Bearer ${await this.#tokens.getToken(signal)}`;
    } else if (credential !== null) {
      const key = (credential as { key: string }).key; // read at every request: rotation reaches both headers
      const which = this.#options.authHeaders;
      if (which !== "api-key") headers.authorization = `Bearer ${key}`;
      if (which !== "bearer") headers["api-key"] = key;
    }
    const [userAgentName, userAgent] = this.#options.userAgent;
    headers[userAgentName] = userAgent;
    mergeHeaders(headers, this.#options.headers);
    return mergeHeaders(headers, request.settings.headers);
  }
}
