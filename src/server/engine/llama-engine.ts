// The llama engine (S2.2): a GGUF model run by llama.cpp through node-llama-cpp, loaded lazily so
// that nothing but `ai-inference/server` ever imports it. One context holds one sequence per
// concurrent generation; embeddings get their own embedding context, made on first use.
import { basename } from "node:path";
import type {
  Llama,
  LlamaContext,
  LlamaContextSequence,
  LlamaEmbeddingContext,
  LlamaGrammar,
} from "node-llama-cpp";
import { HttpError, unsupported } from "../http-error.js";
import { type ChatWrapperOption, resolveModelChatWrapper } from "./chat-wrappers.js";
import type { Engine, EngineEmbeddingsRequest, EngineEmbeddingsResult, EngineModelInfo } from "./engine.js";
import { type LlamaChatDeps, checkLlamaChat, prepareLlamaChat } from "./llama-chat.js";
import { type NodeLlamaCpp, explainDenoRefusal, loadNodeLlamaCpp } from "./load-node-llama-cpp.js";
import { LockstepBatching } from "./lockstep-batching.js";
import { Pool } from "./sequence-pool.js";
import { defaultThreadCount, logicalCoreCount } from "./threads.js";

/** How the llama engine loads its model. */
export interface LlamaEngineOptions {
  /** Path of the GGUF file (llama.cpp loads files only). */
  modelPath: string;
  /** Generations at once; each is one llama.cpp context sequence. @default 1 */
  maxConcurrent?: number;
  /** Tokens per sequence (prompt + reply). @default the model's training context, at most 4096 */
  contextSize?: number;
  /** CPU threads. @default 1 on a machine of two or fewer cores, else the physical cores */
  threads?: number;
  /**
   * The chat wrapper: an instance, or a name (`auto`, a node-llama-cpp wrapper type, or
   * `tiny-tool-chatml`). `auto` honours the model's `ai_inference.chat_wrapper` metadata, else
   * resolves from the model's chat template. @default "auto"
   */
  chatWrapper?: ChatWrapperOption;
  /** The name replies and `/info` give the model. @default the GGUF `general.name`, else the file name */
  modelName?: string;
  /** llama.cpp's log level. @default "warn" */
  logLevel?: "disabled" | "fatal" | "error" | "warn" | "info" | "log" | "debug";
}

const maxDefaultContextSize = 4096;
const maxCachedGrammars = 32;

/** The process's llama.cpp instances by thread limit (getLlama takes most of a second). */
const llamaInstances = new Map<string, Promise<Llama>>();

function getLlamaInstance(
  module: NodeLlamaCpp,
  maxThreads: number | undefined,
  logLevel: string,
): Promise<Llama> {
  const key = `${maxThreads}/${logLevel}`;
  let instance = llamaInstances.get(key);
  if (!instance) {
    // Never build from source or download at run time: fail fast if the prebuilt binary is unusable.
    instance = module.getLlama({
      gpu: false,
      build: "never",
      skipDownload: true,
      maxThreads,
      logLevel: logLevel as never,
    });
    instance.catch(() => llamaInstances.delete(key));
    llamaInstances.set(key, instance);
  }
  return instance;
}

/**
 * Loads a GGUF model and returns the engine.
 * @example
 * ```ts
 * const engine = await createLlamaEngine({ modelPath: "tiny.gguf" });
 * ```
 */
export async function createLlamaEngine(options: LlamaEngineOptions): Promise<Engine> {
  const module = await loadNodeLlamaCpp();
  const maxConcurrent = options.maxConcurrent ?? 1;
  const logical = logicalCoreCount();
  // On small machines the thread limit must be set before llama.cpp starts, not only per context.
  const knownThreads = options.threads ?? (logical <= 2 ? 1 : undefined);
  const llama = await getLlamaInstance(module, knownThreads, options.logLevel ?? "warn").catch((error) => {
    throw explainDenoRefusal(error);
  });
  const threads = knownThreads ?? defaultThreadCount(logical, llama.cpuMathCores);
  const model = await llama.loadModel({ modelPath: options.modelPath }).catch((error) => {
    throw explainDenoRefusal(error);
  });
  let context: LlamaContext;
  const lockstep = new LockstepBatching();
  try {
    context = await model.createContext({
      contextSize: options.contextSize ?? Math.min(model.trainContextSize, maxDefaultContextSize),
      sequences: maxConcurrent,
      threads,
      batching: lockstep.options,
    });
  } catch (error) {
    await model.dispose();
    throw error;
  }
  lockstep.attach(context);
  const sequences = new Pool<LlamaContextSequence>(
    Array.from({ length: maxConcurrent }, () => context.getSequence()),
  );
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  const metadata = model.fileInfo.metadata as { general?: { name?: unknown } };
  const info: EngineModelInfo = Object.freeze({
    modelName:
      options.modelName ??
      (typeof metadata.general?.name === "string" ? metadata.general.name : basename(options.modelPath)),
    modelType: "chat_completion",
    modelProviderName: "llama.cpp",
    contextSize: context.contextSize,
    embeddingSize: model.embeddingVectorSize,
  });
  const chatDeps: LlamaChatDeps = {
    module,
    llama,
    model,
    chatWrapper: resolveModelChatWrapper(module, model, options.chatWrapper),
    contextSize: context.contextSize,
    vocabularySize: vocabularySize(model.fileInfo.metadata),
    maxBytesPerToken: maxBytesPerToken(model.fileInfo.metadata),
    grammarFor(key, create) {
      let grammar = grammars.get(key);
      if (!grammar) {
        grammar = create();
        grammar.catch(() => grammars.delete(key));
        if (grammars.size >= maxCachedGrammars) grammars.delete(grammars.keys().next().value as string);
        grammars.set(key, grammar);
      }
      return grammar;
    },
    takeSequence: () => sequences.take(),
    joinLockstep: () => lockstep.join(),
  };

  let embeddingContext: Promise<LlamaEmbeddingContext> | undefined;
  let embeddingQueue: Promise<unknown> = Promise.resolve();
  let closed = false;

  async function embedNow(
    request: EngineEmbeddingsRequest,
    signal: AbortSignal,
  ): Promise<EngineEmbeddingsResult> {
    if (request.dimensions !== undefined && request.dimensions !== info.embeddingSize) {
      throw unsupported(
        `'dimensions' must be ${info.embeddingSize} for this model (it cannot shorten its vectors).`,
        "dimensions",
      );
    }
    embeddingContext ??= model.createEmbeddingContext({ contextSize: context.contextSize, threads });
    const embedder = await embeddingContext;
    const vectors: number[][] = [];
    let promptTokens = 0;
    const tooLong = (index: number, tokens: string) =>
      new HttpError({
        status: 400,
        code: "context_length_exceeded",
        message: `'input[${index}]' is ${tokens} tokens; the model embeds at most ${context.contextSize}.`,
        param: `input[${index}]`,
      });
    // Certain refusals first, by length alone, so a long input is never tokenized just to be refused.
    const bytesPerToken = chatDeps.maxBytesPerToken;
    if (bytesPerToken !== undefined) {
      for (const [index, text] of request.input.entries()) {
        const fewest = Math.ceil(Buffer.byteLength(text, "utf8") / bytesPerToken);
        if (fewest > context.contextSize) throw tooLong(index, `at least ${fewest}`);
      }
    }
    for (const [index, text] of request.input.entries()) {
      signal.throwIfAborted();
      const tokens = model.tokenize(text);
      if (tokens.length > context.contextSize) throw tooLong(index, String(tokens.length));
      promptTokens += tokens.length;
      vectors.push([...(await embedder.getEmbeddingFor(tokens)).vector]);
    }
    return { vectors, promptTokens };
  }

  return {
    info,
    checkChat: (request) => checkLlamaChat(chatDeps, request),
    prepareChat: (request) => prepareLlamaChat(chatDeps, request),
    embed(request, { signal }) {
      // One embedding at a time: the embedding context has a single sequence.
      const run = embeddingQueue.then(() => embedNow(request, signal));
      embeddingQueue = run.catch(() => undefined);
      return run;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (embeddingContext) await (await embeddingContext.catch(() => undefined))?.dispose();
      await context.dispose();
      await model.dispose();
    },
  };
}

/** See `LlamaChatDeps.maxBytesPerToken`: the longest token text, for tokenizers that drop no input. */
function maxBytesPerToken(metadata: unknown): number | undefined {
  const tokenizer = (metadata as { tokenizer?: { ggml?: { model?: unknown; tokens?: unknown } } }).tokenizer
    ?.ggml;
  // SentencePiece ("llama") and byte-level BPE ("gpt2") give every input byte to some token; others
  // (WordPiece, UGM) may normalise input away, so a length proves nothing about their token count.
  if (tokenizer?.model !== "llama" && tokenizer?.model !== "gpt2") return undefined;
  if (!Array.isArray(tokenizer.tokens)) return undefined;
  let longest = 1;
  for (const token of tokenizer.tokens as unknown[]) {
    if (typeof token === "string" && token.length * 3 > longest) {
      longest = Math.max(longest, Buffer.byteLength(token, "utf8"));
    }
  }
  return longest;
}

function vocabularySize(metadata: unknown): number {
  const tokens = (metadata as { tokenizer?: { ggml?: { tokens?: unknown } } }).tokenizer?.ggml?.tokens;
  return Array.isArray(tokens) ? tokens.length : Number.MAX_SAFE_INTEGER;
}
