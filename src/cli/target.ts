// Where a command sends its requests (S4.2): --endpoint first, then the environment
// (AZURE_AI_CHAT_ENDPOINT / AZURE_AI_EMBEDDINGS_ENDPOINT and their keys), then the embedded
// default: the local server in-process with --model-file, or the default model from the cache.
import type { InferenceServer } from "../server/index.js";
import { ChatCompletionsClient, EmbeddingsClient, AzureKeyCredential } from "../client/index.js";
import type { ClientOptions } from "../client/index.js";
import { ensureDefaultModel } from "./model-cache.js";
import { type CliIo, UsageError } from "./output.js";
import { proxyFor } from "./proxy.js";
import type { OptionTable, ParsedValues } from "./args.js";

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
  /** Where requests go, for messages: the URL, or the local model file. */
  description: string;
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

function resolveTarget(values: ParsedValues, io: CliIo, purpose: Purpose): RemoteTarget | LocalTarget {
  const flagKey = (values["api-key"] ?? values.key) as string | undefined;
  const apiVersionFlag = values["api-version"] as string | undefined;
  const apiVersion =
    apiVersionFlag === undefined ? undefined : apiVersionFlag === "none" ? null : apiVersionFlag;
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) {
    throw new UsageError(`--threads must be a positive integer, got "${String(values.threads)}".`);
  }
  if (values.endpoint !== undefined) {
    if (values["model-file"] !== undefined)
      throw new UsageError("Pass either --endpoint or --model-file, not both.");
    return { kind: "remote", endpoint: values.endpoint as string, key: flagKey, apiVersion };
  }
  const env = ENVIRONMENT[purpose];
  const endpoint = io.env[env.endpoint];
  if (values["model-file"] === undefined && endpoint !== undefined && endpoint !== "") {
    return { kind: "remote", endpoint, key: flagKey ?? io.env[env.key], apiVersion };
  }
  if (flagKey !== undefined) throw new UsageError("--api-key needs --endpoint (a local model takes no key).");
  return { kind: "local", modelFile: values["model-file"] as string | undefined, threads };
}

async function startLocalServer(
  target: LocalTarget,
  io: CliIo,
): Promise<{ server: InferenceServer; path: string }> {
  const path = target.modelFile ?? (await ensureDefaultModel({ io }));
  // Loaded only here: importing the CLI's other paths never loads Hono or node-llama-cpp.
  const { createServer } = await import("../server/index.js");
  const server = await createServer({ modelPath: path, threads: target.threads, log: false });
  return { server, path };
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
      description: target.endpoint,
      close: async () => undefined,
    };
  }
  const { server, path } = await startLocalServer(target, io);
  return {
    client: create("http://local.ai-inference", null, { fetch: server.fetch, apiVersion: null }),
    description: path,
    close: () => server.close(),
  };
}
