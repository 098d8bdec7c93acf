// Where a command sends its requests (S4.2): --endpoint first, then the environment
// (AZURE_AI_CHAT_ENDPOINT / AZURE_AI_EMBEDDINGS_ENDPOINT and their keys), then the embedded
// default: the local server in-process with --model-file, or the default model from the cache.
import type { InferenceServer } from "../server/index.js";
import { ChatCompletionsClient, EmbeddingsClient, AzureKeyCredential } from "../client/index.js";
import type { ClientOptions } from "../client/index.js";
import { ensureDefaultModel } from "./model-cache.js";
import { type CliIo, UsageError } from "./output.js";
import { proxyFor } from "./proxy.js";
import { type OptionTable, type ParsedValues, nonEmptyOption, numberOption } from "./args.js";

/** The options every command that talks to a model shares. */
export const endpointOptions: OptionTable = {
  endpoint: {
    type: "string",
    placeholder: "URL",
    help: "the service to call (else the environment, else a local model)",
  },
  "api-key": { type: "string", placeholder: "KEY", help: "the key for --endpoint" },
  key: { type: "string", placeholder: "KEY", help: "alias of --api-key" },
  "api-version": {
    type: "string",
    placeholder: "VERSION",
    help: 'the api-version query parameter ("none" to send none)',
  },
  "model-file": {
    type: "string",
    placeholder: "PATH",
    help: "run a local GGUF model in-process instead of a service",
  },
  threads: {
    type: "string",
    placeholder: "N",
    help: "llama.cpp threads for a local model (default: 1 on two cores)",
  },
};

export type Purpose = "chat" | "embeddings";

const ENVIRONMENT: Record<Purpose, { endpoint: string; key: string }> = {
  chat: { endpoint: "AZURE_AI_CHAT_ENDPOINT", key: "AZURE_AI_CHAT_KEY" },
  embeddings: { endpoint: "AZURE_AI_EMBEDDINGS_ENDPOINT", key: "AZURE_AI_EMBEDDINGS_KEY" },
};

/** A client for the chosen target, and what to release when the command ends. */
export interface Connection<C> {
  client: C;
  /**
   * The embedded model's context size in tokens, when requests go to it; `undefined` for a remote
   * service, whose context is unknown.
   */
  localContextSize: number | undefined;
  close(): Promise<void>;
}

interface RemoteTarget {
  kind: "remote";
  endpoint: string;
  key: string | undefined;
  apiVersion: string | null | undefined;
}

interface LocalTarget {
  kind: "local";
  modelFile: string | undefined;
  threads: number | undefined;
}

/** Checks every endpoint option before anything loads or downloads: mistakes are usage errors (exit 2). */
function resolveTarget(values: ParsedValues, io: CliIo, purpose: Purpose): RemoteTarget | LocalTarget {
  const flagKey = nonEmptyOption(values, "api-key") ?? nonEmptyOption(values, "key");
  const apiVersionFlag = nonEmptyOption(values, "api-version");
  const apiVersion =
    apiVersionFlag === undefined ? undefined : apiVersionFlag === "none" ? null : apiVersionFlag;
  const threads = numberOption(values, "threads", { integer: true, min: 1 });
  nonEmptyOption(values, "model-file");
  if (values.endpoint !== undefined) {
    if (values["model-file"] !== undefined)
      throw new UsageError("Pass either --endpoint or --model-file, not both.");
    return { kind: "remote", endpoint: httpAddress(values.endpoint, "--endpoint"), key: flagKey, apiVersion };
  }
  const env = ENVIRONMENT[purpose];
  const endpoint = io.env[env.endpoint];
  if (values["model-file"] === undefined && endpoint !== undefined && endpoint !== "") {
    return {
      kind: "remote",
      endpoint: httpAddress(endpoint, env.endpoint),
      key: flagKey ?? io.env[env.key],
      apiVersion,
    };
  }
  if (flagKey !== undefined) throw new UsageError("--api-key needs --endpoint (a local model takes no key).");
  return { kind: "local", modelFile: values["model-file"] as string | undefined, threads };
}

/** An http(s) URL, or the usage error naming where it came from. */
function httpAddress(value: unknown, source: string): string {
  const text = String(value);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`${source} must be an http or https URL, got "${text}".`);
  }
  return text;
}

/** Reports a missing node-llama-cpp before a download of hundreds of megabytes it could not use. */
export async function requireNodeLlamaCpp(): Promise<void> {
  const { loadNodeLlamaCpp } = await import("../server/engine/load-node-llama-cpp.js");
  await loadNodeLlamaCpp();
}

async function startLocalServer(target: LocalTarget, io: CliIo): Promise<InferenceServer> {
  await requireNodeLlamaCpp();
  const path = target.modelFile ?? (await ensureDefaultModel({ io, alternatives: "model-file-or-endpoint" }));
  const { createServer } = await import("../server/index.js");
  return createServer({ modelPath: path, threads: target.threads, log: false });
}

function clientOptions(target: RemoteTarget, io: CliIo): ClientOptions {
  const proxy = proxyFor(target.endpoint, io.env);
  return {
    ...(target.apiVersion !== undefined ? { apiVersion: target.apiVersion } : {}),
    ...(proxy !== undefined ? { proxy } : {}),
  };
}

/** Opens a chat client on the resolved target. */
export async function connectChat(
  values: ParsedValues,
  io: CliIo,
): Promise<Connection<ChatCompletionsClient>> {
  return connect(
    values,
    io,
    "chat",
    (endpoint, credential, options) => new ChatCompletionsClient(endpoint, credential, options),
  );
}

/** Opens an embeddings client on the resolved target. */
export async function connectEmbeddings(
  values: ParsedValues,
  io: CliIo,
): Promise<Connection<EmbeddingsClient>> {
  return connect(
    values,
    io,
    "embeddings",
    (endpoint, credential, options) => new EmbeddingsClient(endpoint, credential, options),
  );
}

async function connect<C>(
  values: ParsedValues,
  io: CliIo,
  purpose: Purpose,
  create: (endpoint: string, credential: AzureKeyCredential | null, options: ClientOptions) => C,
): Promise<Connection<C>> {
  const target = resolveTarget(values, io, purpose);
  if (target.kind === "remote") {
    const credential =
      target.key === undefined || target.key === "" ? null : new AzureKeyCredential(target.key);
    return {
      client: create(target.endpoint, credential, clientOptions(target, io)),
      localContextSize: undefined,
      close: async () => undefined,
    };
  }
  const server = await startLocalServer(target, io);
  return {
    client: create("http://local.ai-inference", null, { fetch: server.fetch, apiVersion: null }),
    localContextSize: "contextSize" in server.engine.info ? server.engine.info.contextSize : undefined,
    close: () => server.close(),
  };
}
