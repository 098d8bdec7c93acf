// One deployment behind a router (issue 14): its own normalized options and pipeline (so its
// endpoint kind, api-version, auth and token cache are its own), its place in the rotation, and
// its health: in flight, cooling down until when, failures in a row, and counts for `deployments()`.
import type { RetryWaitSource } from "../../errors.js";
import { redactUrl } from "../../internal/redact.js";
import { type AuthHeaders, type Credential, checkCredential } from "../credentials.js";
import {
  type ClientOptions,
  type HeadersOption,
  type NormalizedClientOptions,
  normalizeClientOptions,
} from "../options.js";
import { Pipeline } from "../pipeline.js";
import type { BodyContext } from "../request.js";
import type { FailureVerdict } from "./cooling.js";
import type { Candidate } from "./selection.js";

/** One deployment a router spreads calls over. */
export interface RouterDeployment {
  /** Names the deployment in errors, `deployments()`, logs and traces; unique within a router. */
  readonly name: string;
  /** The endpoint, as for a client (docs/clients.md). */
  readonly endpoint: string | URL;
  /** `new AzureKeyCredential(key)`, a token credential, or `null` for none. */
  readonly credential: Credential;
  /** Lower numbers are tried first; higher ones only when all lower ones are cooling down. @default 0 */
  readonly priority?: number;
  /** Its share of calls within its priority, relative to the others'. @default 1 */
  readonly weight?: number;
  /** Sent as the body's `model` (deployments named differently); unset keeps the call's. */
  readonly model?: string;
  /** This deployment's `api-version` (e.g. an Azure OpenAI one beside Model Inference endpoints). @default the router's */
  readonly apiVersion?: string | null;
  /** Headers for this deployment's requests, over the router's. */
  readonly headers?: HeadersOption;
  /** @default the router's */
  readonly authHeaders?: AuthHeaders;
  /** @default the router's, else per host as for a client */
  readonly credentialScopes?: string | readonly string[];
}

/** What `deployments()` tells of one deployment. */
export interface DeploymentStatus {
  readonly name: string;
  /** The endpoint with secrets (query keys, user info) redacted. */
  readonly endpoint: string;
  readonly priority: number;
  readonly weight: number;
  readonly model: string | undefined;
  /** `cooling` until `coolingUntil`, after a 429, a 408, a 5xx, a 401/403/404 or a connection failure. */
  readonly status: "available" | "cooling";
  readonly coolingUntil: Date | undefined;
  /** Attempts (and streams being read) right now. */
  readonly inFlight: number;
  /** Attempts sent to it. */
  readonly attempts: number;
  readonly successes: number;
  readonly failures: number;
  /** Of the failures, the 429s. */
  readonly rateLimited: number;
  /** Failures in a row (the cooldown backoff grows with them; a success resets them). */
  readonly failuresInRow: number;
}

const deploymentKeys: ReadonlySet<string> = new Set([
  "name", "endpoint", "credential", "priority", "weight", "model", "apiVersion", "headers", "authHeaders",
  "credentialScopes",
]); // prettier-ignore

export class Deployment implements Candidate {
  readonly name: string;
  readonly priority: number;
  readonly weight: number;
  readonly model: string | undefined;
  readonly options: NormalizedClientOptions;
  readonly pipeline: Pipeline;
  readonly bodyContext: BodyContext;
  readonly #endpoint: string;
  coolingUntilMs = 0;
  /** What set the current cooldown: a retry header, or the backoff. */
  coolingSource: Exclude<RetryWaitSource, "failover"> | undefined;
  inFlight = 0;
  rotation = 0;
  #failuresInRow = 0;
  #attempts = 0;
  #successes = 0;
  #failures = 0;
  #rateLimited = 0;

  constructor(
    routerName: string,
    index: number,
    config: RouterDeployment,
    routerOptions: ClientOptions & { defaults?: object },
    defaultKeys: ReadonlySet<string>,
  ) {
    const at = `new ${routerName}(): deployments[${index}]`;
    if (typeof config !== "object" || config === null) throw new TypeError(`${at} must be an object.`);
    for (const key of Object.keys(config)) {
      if (!deploymentKeys.has(key)) {
        throw new TypeError(`${at}: unknown key "${key}" (known: ${[...deploymentKeys].join(", ")}).`);
      }
    }
    if (typeof config.name !== "string" || config.name === "") throw new TypeError(`${at} needs a name.`);
    this.name = config.name;
    const named = `${at} ("${config.name}")`;
    this.priority = config.priority ?? 0;
    if (typeof this.priority !== "number" || !Number.isFinite(this.priority)) {
      throw new TypeError(`${named}: priority must be a finite number.`);
    }
    this.weight = config.weight ?? 1;
    if (typeof this.weight !== "number" || !(this.weight > 0) || !Number.isFinite(this.weight)) {
      throw new TypeError(`${named}: weight must be a number above 0.`);
    }
    if (config.model !== undefined && (typeof config.model !== "string" || config.model === "")) {
      throw new TypeError(`${named}: model must be a non-empty string.`);
    }
    this.model = config.model;
    checkCredential(config.credential, `${routerName}: deployments[${index}] ("${config.name}")`);
    const own: ClientOptions = {};
    for (const key of ["apiVersion", "headers", "authHeaders", "credentialScopes"] as const) {
      if (config[key] !== undefined) (own as Record<string, unknown>)[key] = config[key];
    }
    try {
      this.options = normalizeClientOptions(
        routerName,
        config.endpoint,
        { ...routerOptions, ...own },
        defaultKeys,
      );
    } catch (error) {
      if (error instanceof TypeError) throw new TypeError(`${named}: ${error.message}`);
      throw error;
    }
    this.pipeline = new Pipeline(this.options, config.credential);
    this.bodyContext = {
      kind: this.options.kind,
      defaults: this.options.defaults,
      modelExtras: this.options.modelExtras,
    };
    const { baseUrl, query } = this.options;
    this.#endpoint = redactUrl(query === "" ? baseUrl : `${baseUrl}?${query}`);
  }

  get failuresInRow(): number {
    return this.#failuresInRow;
  }

  started(): void {
    this.inFlight++;
    this.#attempts++;
  }

  /** The attempt (or its stream) is over. */
  ended(): void {
    this.inFlight--;
  }

  succeeded(): void {
    this.#successes++;
    this.#failuresInRow = 0;
  }

  /** Counts a failure and cools the deployment down as the verdict says. */
  failed(verdict: FailureVerdict, statusCode: number | undefined, nowMs: number): void {
    this.#failures++;
    if (statusCode === 429) this.#rateLimited++;
    if (verdict.cooldown === undefined) return;
    this.#failuresInRow++;
    const until = nowMs + verdict.cooldown.ms;
    if (until >= this.coolingUntilMs) {
      this.coolingUntilMs = until;
      this.coolingSource = verdict.cooldown.source;
    }
  }

  status(nowMs: number): DeploymentStatus {
    const cooling = this.coolingUntilMs > nowMs;
    return {
      name: this.name,
      endpoint: this.#endpoint,
      priority: this.priority,
      weight: this.weight,
      model: this.model,
      status: cooling ? "cooling" : "available",
      coolingUntil: cooling ? new Date(this.coolingUntilMs) : undefined,
      inFlight: this.inFlight,
      attempts: this.#attempts,
      successes: this.#successes,
      failures: this.#failures,
      rateLimited: this.#rateLimited,
      failuresInRow: this.#failuresInRow,
    };
  }

  /** What a log line or `util.inspect` shows: the name and the redacted endpoint. */
  describe(): string {
    return `${this.name} (${this.#endpoint})`;
  }
}

/** Builds a router's deployments, checking that there is at least one and that names are unique. */
export function createDeployments(
  routerName: string,
  configs: unknown,
  routerOptions: ClientOptions & { defaults?: object },
  defaultKeys: ReadonlySet<string>,
): Deployment[] {
  if (!Array.isArray(configs) || configs.length === 0) {
    throw new TypeError(`new ${routerName}(deployments, options): deployments must be a non-empty array.`);
  }
  const deployments = configs.map(
    (config: RouterDeployment, index) =>
      new Deployment(routerName, index, config, routerOptions, defaultKeys),
  );
  const seen = new Set<string>();
  for (const deployment of deployments) {
    if (seen.has(deployment.name)) {
      throw new TypeError(
        `new ${routerName}(): two deployments are named "${deployment.name}"; names must be unique.`,
      );
    }
    seen.add(deployment.name);
  }
  return deployments;
}
