// loadClient (P6.2): asks `/info` what the endpoint serves and returns the matching client, its
// model-info cache already filled.
import { ClientCore, prefillModelInfo } from "./client-core.js";
import type { Credential } from "./credentials.js";
import { ChatCompletionsClient } from "./chat-completions-client.js";
import { EmbeddingsClient } from "./embeddings-client.js";
import { ImageEmbeddingsClient } from "./image-embeddings-client.js";
import type {
  ChatCompletionsClientOptions,
  ClientOptions,
  EmbeddingsClientOptions,
  RequestOptions,
} from "./options.js";
import { CHAT_DEFAULT_KEYS, EMBEDDINGS_DEFAULT_KEYS } from "./request.js";

/** Options of `loadClient`: those of the client it returns, plus the `/info` call's request options. */
export interface LoadClientOptions extends ClientOptions {
  /** Used by the returned client: chat or embeddings options, as its kind accepts. */
  defaults?: ChatCompletionsClientOptions["defaults"] | EmbeddingsClientOptions["defaults"];
  /** Request options of the `/info` call. */
  requestOptions?: RequestOptions;
}

/** The client kinds `loadClient` can return. */
export type LoadedClient = ChatCompletionsClient | EmbeddingsClient | ImageEmbeddingsClient;

const CLIENT_FOR_TYPE: Readonly<Record<string, "chat" | "embeddings" | "image-embeddings">> = {
  chat_completion: "chat",
  chat_completions: "chat",
  chat: "chat",
  completion: "chat",
  embeddings: "embeddings",
  embedding: "embeddings",
  text_embedding: "embeddings",
  text_embeddings: "embeddings",
  image_embedding: "image-embeddings",
  image_embeddings: "image-embeddings",
};

/** Which client serves a `model_type` (case-insensitive; `_`, `-` and space alike), if any. */
export function clientKindForModelType(
  modelType: unknown,
): "chat" | "embeddings" | "image-embeddings" | undefined {
  if (typeof modelType !== "string") return undefined;
  const key = modelType
    .trim()
    .toLowerCase()
    .replace(/[-\s]+/g, "_");
  return Object.hasOwn(CLIENT_FOR_TYPE, key) ? CLIENT_FOR_TYPE[key] : undefined;
}

/**
 * Reads the endpoint's `/info` and returns the client for its model type (P6.2).
 * @example
 * const client = await loadClient(endpoint, new AzureKeyCredential(key));
 * if (client instanceof ChatCompletionsClient) console.log((await client.complete({ messages })).choices[0]);
 */
export async function loadClient(
  endpoint: string | URL,
  credential: Credential,
  options: LoadClientOptions = {},
): Promise<LoadedClient> {
  const { requestOptions, ...clientOptions } = options;
  // Every caller mistake is reported before /info is asked.
  const allDefaults = new Set([...CHAT_DEFAULT_KEYS, ...EMBEDDINGS_DEFAULT_KEYS]);
  const core = new ClientCore("loadClient", endpoint, credential, clientOptions, allDefaults);
  const info = await core.getModelInfo(requestOptions);
  const kind = clientKindForModelType(info.modelType);
  let client: LoadedClient;
  if (kind === "chat") {
    client = new ChatCompletionsClient(endpoint, credential, clientOptions as ChatCompletionsClientOptions);
  } else if (kind === "embeddings") {
    client = new EmbeddingsClient(endpoint, credential, clientOptions as EmbeddingsClientOptions);
  } else if (kind === "image-embeddings") {
    client = new ImageEmbeddingsClient(endpoint, credential, clientOptions as EmbeddingsClientOptions);
  } else {
    throw new TypeError(
      `loadClient: the endpoint serves a model of type ${JSON.stringify(info.modelType)}, which no client of ` +
        "this package handles (chat completions, embeddings, image embeddings).",
    );
  }
  client[prefillModelInfo](info);
  return client;
}
