// The `serve --upstreams FILE` configuration (issue 14, docs/server.md "Gateway"): JSON or YAML with
// a `strategy` and `deployments`, each naming the environment variable that holds its key, so that
// no key is ever written in the file. Read once at start; every mistake names the deployment and
// the key at fault, never a key's value.
import { parse as parseYaml } from "yaml";
import type { AzureKeyCredential } from "../../client/credentials.js";
import type { RouterDeployment } from "../../client/router/deployment.js";
import type { RoutingStrategy } from "../../client/router/selection.js";
import { ROUTING_STRATEGIES } from "../../client/router/selection.js";
import { UsageError } from "../output.js";

/** The file's content, checked. */
export interface UpstreamsConfig {
  readonly strategy: RoutingStrategy;
  readonly deployments: readonly RouterDeployment[];
  /** Router options the file may set for every deployment. */
  readonly options: {
    readonly apiVersion?: string | null;
    readonly maxRetries?: number;
    readonly maxRetryDelayMs?: number;
    readonly timeoutMs?: number;
  };
}

const topKeys = new Set([
  "strategy",
  "deployments",
  "apiVersion",
  "maxRetries",
  "maxRetryDelayMs",
  "timeoutMs",
]);
const deploymentKeys = new Set([
  "name",
  "endpoint",
  "apiKeyEnv",
  "model",
  "priority",
  "weight",
  "apiVersion",
]);

/**
 * Parses the file's text (JSON, or YAML when it is not JSON) and builds the deployments, reading
 * each key from `env`. `newCredential` makes a key credential (the CLI passes AzureKeyCredential).
 */
export function readUpstreams(
  text: string,
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  newCredential: (key: string) => AzureKeyCredential,
): UpstreamsConfig {
  let raw: unknown;
  try {
    raw = text.trimStart().startsWith("{") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON or YAML (${(error as Error).message.split("\n")[0]}).`);
  }
  const fail = (message: string): never => {
    throw new UsageError(`${file}: ${message}`);
  };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return fail("the file must hold an object with `deployments` (and an optional `strategy`).");
  }
  const top = raw as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (!topKeys.has(key)) fail(`unknown key "${key}" (known: ${[...topKeys].join(", ")}).`);
  }
  const strategy = (top.strategy ?? "priority") as RoutingStrategy;
  if (!ROUTING_STRATEGIES.includes(strategy)) {
    fail(`strategy must be one of ${ROUTING_STRATEGIES.join(", ")}, not ${JSON.stringify(top.strategy)}.`);
  }
  const list = top.deployments;
  if (!Array.isArray(list) || list.length === 0) fail("deployments must be a non-empty list.");
  const deployments = (list as unknown[]).map((item, index): RouterDeployment => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      return fail(`deployments[${index}] must be an object.`);
    }
    const d = item as Record<string, unknown>;
    const at = typeof d.name === "string" ? `deployments[${index}] ("${d.name}")` : `deployments[${index}]`;
    for (const key of Object.keys(d)) {
      if (!deploymentKeys.has(key))
        fail(`${at}: unknown key "${key}" (known: ${[...deploymentKeys].join(", ")}).`);
    }
    if (typeof d.name !== "string" || d.name === "") fail(`${at} needs a name.`);
    if (typeof d.endpoint !== "string" || d.endpoint === "") fail(`${at} needs an endpoint (a URL).`);
    let credential: AzureKeyCredential | null = null;
    if (d.apiKeyEnv !== undefined) {
      if (typeof d.apiKeyEnv !== "string" || d.apiKeyEnv === "")
        fail(`${at}: apiKeyEnv must name an environment variable.`);
      const key = env[d.apiKeyEnv as string];
      if (key === undefined || key === "") {
        fail(`${at}: the environment variable ${d.apiKeyEnv as string} (apiKeyEnv) is not set.`);
      }
      credential = newCredential(key!);
    }
    const deployment: Record<string, unknown> = { name: d.name, endpoint: d.endpoint, credential };
    for (const key of ["model", "priority", "weight"] as const)
      if (d[key] !== undefined) deployment[key] = d[key];
    if (d.apiVersion !== undefined)
      deployment.apiVersion = apiVersion(d.apiVersion, `${at}.apiVersion`, fail);
    return deployment as unknown as RouterDeployment;
  });
  const options: Record<string, unknown> = {};
  if (top.apiVersion !== undefined) options.apiVersion = apiVersion(top.apiVersion, "apiVersion", fail);
  for (const key of ["maxRetries", "maxRetryDelayMs", "timeoutMs"] as const) {
    const value = top[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || (value as number) < 0) fail(`${key} must be a whole number, 0 or more.`);
    options[key] = value;
  }
  return { strategy, deployments, options };
}

/** `none` (or null) sends no api-version, as `--api-version none` does. */
function apiVersion(value: unknown, at: string, fail: (message: string) => never): string | null {
  if (value === null || value === "none") return null;
  if (typeof value !== "string" || value === "") return fail(`${at} must be a string, or none.`);
  return value;
}
