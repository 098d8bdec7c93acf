// The chat completions client (P1, P2, P6): `complete()` and `getModelInfo()`.
import { ChatCompletions } from "../models/chat-completions.js";
import type { ModelInfo } from "../models/model-info.js";
import type { ChatCompletionsOptions } from "../models/chat-completions-options.js";
import type { StreamSource } from "../streaming/stream-source.js";
import { StreamingChatCompletions } from "../streaming/stream.js";
import { ClientCore, checkCallObject, inspectSymbol, prefillModelInfo } from "./client-core.js";
import type { Credential } from "./credentials.js";
import { type ChatCompletionsClientOptions, type RequestOptions, resolveCallOptions } from "./options.js";
import { CHAT_DEFAULT_KEYS, type RawBody, buildChatBody } from "./request.js";
// Types only, erased from the built code (eslint.config.js allows nothing else from helpers/ here):
// the helpers' code is loaded by a lazy import() of the package's private "#helpers/*" imports on
// the first call of parse() or runTools(), so that importing the SDK loads neither.
import type {
  JsonSchemaResponseFormat,
  ParseOptions,
  ParseStreamOptions,
  ParsedChatCompletions,
  ParsedChatCompletionsStream,
  ParsedOf,
  PartialOf,
  StructuredResponseFormat,
} from "../helpers/structured-outputs/index.js";
import type { RunToolsOptions, RunToolsResult, ToolRunStream } from "../helpers/tools/index.js";
import { runObserved } from "./instrumentation.js";

/** Options of one `complete()` call: the chat options, streaming switches, extras, and the request options. */
export interface CompleteOptions extends ChatCompletionsOptions, RequestOptions {
  /** Ask for a server-sent event stream (P5.7). */
  stream?: boolean;
  /**
   * Ask a stream to end with a usage chunk (`stream_options.include_usage`, P5.6). By default it is
   * asked where known to be accepted (Azure OpenAI, OpenAI, GitHub Models, `apiVersion: null`).
   */
  includeUsage?: boolean;
  /** Body keys outside the schema, merged at the top level; sends `extra-parameters: pass-through` (P1.5). */
  modelExtras?: Record<string, unknown>;
  /** A raw body sent exactly, with no defaults and no extras (P1.7); see `CompleteRawOptions`. */
  body?: RawBody;
}

/** A raw `complete()` call (P1.7): the body is sent exactly as given. */
export interface CompleteRawOptions extends RequestOptions {
  /** A wire object, or a string or bytes sent as they are. */
  body: RawBody;
  /** For a string or bytes body, whether the answer is a stream (an object body says it itself). */
  stream?: boolean;
}

let openStream: (
  client: ChatCompletionsClient,
  options: CompleteOptions | CompleteRawOptions,
) => Promise<StreamSource>;

/**
 * A client for chat completions: Azure AI Model Inference endpoints (serverless, managed compute,
 * Foundry), Azure OpenAI deployments, GitHub Models, and any OpenAI-compatible server.
 * @example
 * const client = new ChatCompletionsClient(
 *   "https://my-model.eastus2.models.ai.azure.com",
 *   new AzureKeyCredential(key),
 * );
 * const answer = await client.complete({ messages: [new UserMessage("How many feet are in a mile?")] });
 * console.log(answer.choices[0].message.content);
 */
export class ChatCompletionsClient {
  readonly #core: ClientCore;

  /**
   * @param endpoint the endpoint URL (see docs/clients.md for each kind of service)
   * @param credential `new AzureKeyCredential(key)`, a token credential, or `null` for none
   */
  constructor(endpoint: string | URL, credential: Credential, options?: ChatCompletionsClientOptions) {
    this.#core = new ClientCore("ChatCompletionsClient", endpoint, credential, options, CHAT_DEFAULT_KEYS);
  }

  /**
   * Sends a chat completions request and returns the answer. Options left unset take the client's
   * `defaults`; a `body` is sent exactly as given. With `stream: true` it resolves, once the
   * response headers have arrived, to a `StreamingChatCompletions` (P5.7).
   */
  complete(
    options: (CompleteOptions | CompleteRawOptions) & { stream: true },
  ): Promise<StreamingChatCompletions>;
  complete(options: (CompleteOptions | CompleteRawOptions) & { stream?: false }): Promise<ChatCompletions>;
  complete(
    options: CompleteOptions | CompleteRawOptions,
  ): Promise<ChatCompletions | StreamingChatCompletions>;
  async complete(
    options: CompleteOptions | CompleteRawOptions,
  ): Promise<ChatCompletions | StreamingChatCompletions> {
    const request = this.#prepare(options);
    const { pipeline } = this.#core;
    const observer = this.#core.observe("chat", request.body, request.stream);
    if (observer === undefined) {
      if (request.stream) return new StreamingChatCompletions(await pipeline.openStream(request));
      return pipeline.send(request, (text) => ChatCompletions.fromJSON(text));
    }
    const observed = { ...request, observer };
    if (request.stream) {
      // Once open, the stream tells the observer how it ends (docs/tracing.md, streaming).
      return runObserved(
        observer,
        async () => new StreamingChatCompletions({ ...(await pipeline.openStream(observed)), observer }),
        () => undefined,
      );
    }
    return runObserved(
      observer,
      () => pipeline.send(observed, (text) => ChatCompletions.fromJSON(text)),
      (result) => ({ outcome: "success", result }),
    );
  }

  /**
   * `parse(client, options)` of `ai-inference/structured`, loaded on first use: a chat completion
   * whose answer must follow `responseFormat` (a Zod schema, or a JSON Schema with its name), with
   * `choices[i].message.parsed` parsed, validated and typed. See that function for the errors.
   * @example
   * const answer = await client.parse({ messages, responseFormat: { name: "place", schema: Place } });
   * answer.choices[0].message.parsed;
   */
  parse<F extends StructuredResponseFormat>(
    options: ParseStreamOptions<F>,
  ): Promise<ParsedChatCompletionsStream<ParsedOf<F>, PartialOf<F>>>;
  parse<T>(options: ParseStreamOptions<JsonSchemaResponseFormat>): Promise<ParsedChatCompletionsStream<T>>;
  parse<F extends StructuredResponseFormat>(
    options: ParseOptions<F> & { stream?: false },
  ): Promise<ParsedChatCompletions<ParsedOf<F>>>;
  parse<T>(
    options: ParseOptions<JsonSchemaResponseFormat> & { stream?: false },
  ): Promise<ParsedChatCompletions<T>>;
  async parse(
    options: ParseOptions,
  ): Promise<ParsedChatCompletions<unknown> | ParsedChatCompletionsStream<unknown>> {
    const helper = await import("#helpers/structured");
    // One call for both forms: the helper looks at `stream` itself.
    return helper.parse(this, options as ParseOptions & { stream?: false });
  }

  /**
   * `runTools(client, options)` of `ai-inference/tools`, loaded on first use: lets the model call
   * the given tools until it answers or `maxRounds` requests have been made.
   * @example
   * const { content, messages } = await client.runTools({ messages, tools: [weather] });
   */
  runTools(options: RunToolsOptions & { stream: true }): Promise<ToolRunStream>;
  runTools(options: RunToolsOptions & { stream?: false }): Promise<RunToolsResult>;
  runTools(options: RunToolsOptions): Promise<RunToolsResult | ToolRunStream>;
  async runTools(options: RunToolsOptions): Promise<RunToolsResult | ToolRunStream> {
    const helper = await import("#helpers/tools");
    return helper.runTools(this, options);
  }

  /** What the `/info` route says about the model, cached after the first success (P6.1). */
  getModelInfo(options?: RequestOptions): Promise<ModelInfo> {
    return this.#core.getModelInfo(options);
  }

  /** @internal Used by `loadClient`, which has already read `/info`. */
  [prefillModelInfo](info: ModelInfo): void {
    this.#core.prefill(info);
  }

  /** Builds the request of a call: checks, body, merged settings. Throws before any I/O. */
  #prepare(options: CompleteOptions | CompleteRawOptions) {
    checkCallObject(options, "complete");
    const prepared = buildChatBody(options as unknown as Record<string, unknown>, this.#core.bodyContext);
    return {
      method: "POST" as const,
      path: "/chat/completions",
      body: prepared.body,
      passThrough: prepared.passThrough,
      settings: resolveCallOptions(this.#core.options, options),
      stream: prepared.stream,
    };
  }

  [inspectSymbol](): string {
    return this.#core.describe();
  }

  static {
    openStream = (client, options) => client.#core.pipeline.openStream(client.#prepare(options));
  }
}

/**
 * Opens the streamed request of a `complete({ stream: true, ... })` call through the client's
 * pipeline and returns what `StreamingChatCompletions` is built from (P5.7, P5.10). Not exported
 * from the package; the tests of the request path use it to read the raw bytes.
 */
export function openChatCompletionsStream(
  client: ChatCompletionsClient,
  options: CompleteOptions | CompleteRawOptions,
): Promise<StreamSource> {
  return openStream(client, options);
}
