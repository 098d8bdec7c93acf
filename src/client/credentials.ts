// Credentials (P2.1–P2.3): key credentials read at every request (so rotation reaches every header),
// token credentials cached and refreshed before expiry with one refresh shared by concurrent calls.
// No secret is ever printed: the key lives in a private field and inspection shows a placeholder.
import { ServiceRequestError } from "../errors.js";
import { REDACTED } from "../internal/redact.js";

/** A key credential: any object with a string `key` (this package's class, or `@azure/core-auth`'s). */
export interface KeyCredential {
  readonly key: string;
}

/** A token as `@azure/identity` credentials return it. */
export interface AccessToken {
  readonly token: string;
  /** When the token expires, in milliseconds since the epoch. */
  readonly expiresOnTimestamp: number;
  /** When to fetch a new token, if the credential says (milliseconds since the epoch). */
  readonly refreshAfterTimestamp?: number;
}

/** The options the client passes to `getToken`. */
export interface GetTokenOptions {
  readonly abortSignal?: AbortSignal;
}

/**
 * A token credential: any object with `getToken(scopes, options)`, the shape of `@azure/identity`'s
 * credentials (`DefaultAzureCredential`...), which need no adapter.
 */
export interface TokenCredential {
  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null>;
}

/** What a client's second argument accepts: a key, a token credential, or `null` for no authentication. */
export type Credential = KeyCredential | TokenCredential | null;

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * An API key, sent as both `Authorization: Bearer <key>` and `api-key: <key>` (P2.2). `update()`
 * rotates it: every later request, and every retry, uses the new key.
 * @example
 * const credential = new AzureKeyCredential(process.env.AZURE_AI_KEY!);
 * const client = new ChatCompletionsClient(endpoint, credential);
 * credential.update(newKey); // the next request sends newKey
 */
export class AzureKeyCredential implements KeyCredential {
  #key: string;

  constructor(key: string) {
    this.#key = checkKey(key, "new AzureKeyCredential(key)");
  }

  /** The current key. */
  get key(): string {
    return this.#key;
  }

  /** Replaces the key for every request from now on. */
  update(newKey: string): void {
    this.#key = checkKey(newKey, "AzureKeyCredential.update(newKey)");
  }

  toString(): string {
    return `AzureKeyCredential(${REDACTED})`;
  }

  toJSON(): object {
    return { key: REDACTED };
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

function checkKey(key: unknown, where: string): string {
  if (typeof key !== "string" || key === "") throw new TypeError(`${where} needs a non-empty string key.`);
  return key;
}

export function isTokenCredential(credential: unknown): credential is TokenCredential {
  return (
    typeof credential === "object" &&
    credential !== null &&
    typeof (credential as { getToken?: unknown }).getToken === "function"
  );
}

export function isKeyCredential(credential: unknown): credential is KeyCredential {
  return (
    typeof credential === "object" &&
    credential !== null &&
    typeof (credential as { key?: unknown }).key === "string"
  );
}

/** Throws `TypeError` unless `credential` is `null`, a token credential or a key credential (P2.1). */
export function checkCredential(credential: unknown, clientName: string): asserts credential is Credential {
  if (credential === null || isTokenCredential(credential) || isKeyCredential(credential)) return;
  const hint =
    typeof credential === "string"
      ? " Wrap the key: new AzureKeyCredential(key)."
      : " Pass new AzureKeyCredential(key), a token credential (an object with getToken), or null for none.";
  throw new TypeError(
    `new ${clientName}(endpoint, credential): the credential is ${credential === undefined ? "missing" : "not a credential"}.${hint}`,
  );
}

/** Which headers carry a key (P2.3 `authHeaders`). */
export type AuthHeaders = "both" | "bearer" | "api-key";

// A token is used until this close to its expiry; from 2 minutes before, a refresh starts in the
// background while the current token keeps serving (Azure's bearer-token policy does the same).
const EXPIRY_MARGIN_MS = 30_000;
const REFRESH_WINDOW_MS = 120_000;

/**
 * Tokens of one credential for one set of scopes: cached, refreshed ahead of expiry, with a single
 * refresh in flight however many calls need it.
 */
export class TokenCache {
  readonly #credential: TokenCredential;
  readonly #scopes: string[];
  #token: AccessToken | undefined;
  #refreshing: Promise<AccessToken> | undefined;

  constructor(credential: TokenCredential, scopes: readonly string[]) {
    this.#credential = credential;
    this.#scopes = [...scopes];
  }

  /** The current token value (for redaction), if any. */
  get current(): string | undefined {
    return this.#token?.token;
  }

  /** A valid token, fetched only when the cached one is missing or about to expire. */
  async getToken(signal?: AbortSignal): Promise<string> {
    const token = this.#token;
    const now = Date.now();
    if (token !== undefined && now < token.expiresOnTimestamp - EXPIRY_MARGIN_MS) {
      const refreshAt = token.refreshAfterTimestamp ?? token.expiresOnTimestamp - REFRESH_WINDOW_MS;
      // A failed background refresh is not the caller's problem while the token is still valid.
      if (now >= refreshAt) this.#refresh().catch(noop);
      return token.token;
    }
    const refresh = this.#refresh();
    return (await (signal === undefined ? refresh : abortable(refresh, signal))).token;
  }

  #refresh(): Promise<AccessToken> {
    // No caller's signal reaches the shared refresh: one caller's abort must not fail the others.
    this.#refreshing ??= this.#credential
      .getToken(this.#scopes.length === 1 ? this.#scopes[0] : this.#scopes)
      .then((token) => {
        if (token === null || typeof token?.token !== "string" || token.token === "") {
          throw new ServiceRequestError(
            `The token credential returned no token for ${this.#scopes.join(", ")}; the request was not sent.`,
          );
        }
        this.#token = token;
        return token;
      })
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  [inspectSymbol](): string {
    return `TokenCache { scopes: ${JSON.stringify(this.#scopes)}, token: ${REDACTED} }`;
  }
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function noop(): void {}
