/**
 * The tiny test model (server-and-cli.md S3): a random-weight llama GGUF of about 600 KB with a
 * ChatML template, written deterministically from a seed. Its output is gibberish, but every step
 * of real inference runs (tokenizer, chat template, attention, KV cache, sampling, grammars,
 * function calling), so tests and offline demos can drive the real engine.
 *
 * The "bias dimension" trick: residual dimension 0 is a constant +1 in every token embedding and no
 * layer writes into it, so column 0 of `output.weight` acts as a per-token logit bias. That gives
 * the knobs below: byte and control tokens banned (output is printable ASCII), JSON closers favoured
 * (`punctBias`, so grammar-constrained strings end), and the one-token `<tool_call>` call prefix
 * made likely (`toolBias`, so the model calls tools).
 * @module
 */
import { open, rename, rm } from "node:fs/promises";
import {
  type GgufFile,
  type GgufMetadataValue,
  type GgufTensor,
  GgufType,
  elementCount,
  layOutGguf,
} from "./gguf-writer.js";

/** The GGUF metadata key that tells the llama engine which chat wrapper a model wants. */
export const chatWrapperMetadataKey = "ai_inference.chat_wrapper";
/** Its value for the tiny model: ChatML whose function-call prefix is the one token `<tool_call>`. */
export const tinyToolChatWrapperName = "tiny-tool-chatml";

/** How the tiny model is made. Every field is optional. */
export interface TinyModelOptions {
  /** Seed of the weights. @default 1 */
  seed?: number;
  /** Embedding (residual) width. @default 64 */
  embd?: number;
  /** Transformer blocks. @default 2 */
  layers?: number;
  /** Feed-forward width. @default 128 */
  ff?: number;
  /** Attention heads; must divide `embd`. @default 4 */
  heads?: number;
  /** Key/value heads; must divide `heads`. @default 2 */
  kvHeads?: number;
  /** Training context length written to the metadata. @default 2048 */
  ctx?: number;
  /** Logit bias of the end-of-turn tokens (negative: longer replies). @default 0 */
  eosBias?: number;
  /** Logit bias of byte and control tokens (0 turns the ban off). @default -1000 */
  banBias?: number;
  /** Logit bias of `"`, `,`, `}` and `]`, so that JSON output closes. @default 6 */
  punctBias?: number;
  /** Logit bias of the `<tool_call>` token (-1000: never). @default 3 */
  toolBias?: number;
  /** Scale of the output projection. @default 3 */
  logitScale?: number;
  /** Embed the ChatML `tokenizer.chat_template`. @default true */
  chatTemplate?: boolean;
  /**
   * Write the `ai_inference.chat_wrapper` marker that makes the llama engine use the one-token
   * `<tool_call>` wrapper (without it no function call is ever recognised). @default true
   */
  chatWrapperMarker?: boolean;
  /** `general.name`. @default "tiny-random-llama" */
  name?: string;
}

/** What was written. */
export interface TinyModelInfo {
  readonly nVocab: number;
  readonly params: number;
  readonly tensors: number;
  readonly size: number;
  readonly options: Readonly<Required<TinyModelOptions>>;
}

/** The defaults: JSON closes (punctuation bias 6) and tools get called (tool-call bias 3). */
export const tinyModelDefaults: Readonly<Required<TinyModelOptions>> = Object.freeze({
  seed: 1,
  embd: 64,
  layers: 2,
  ff: 128,
  heads: 4,
  kvHeads: 2,
  ctx: 2048,
  eosBias: 0,
  banBias: -1000,
  punctBias: 6,
  toolBias: 3,
  logitScale: 3,
  chatTemplate: true,
  chatWrapperMarker: true,
  name: "tiny-random-llama",
});

const ALIGNMENT = 32;
/** One tensor is drawn in memory at a time: at most 1 GiB of F32. */
const maxTensorElements = 2 ** 28;
const TokenType = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, BYTE: 6 } as const;
const SPACE = "\u2581"; // SentencePiece's word-start marker

const COMMON_WORDS = [
  "the", "a", "an", "and", "or", "of", "to", "in", "on", "is", "it", "you", "I", "we", "they",
  "hello", "hi", "yes", "no", "ok", "this", "that", "with", "for", "not", "be", "are", "was",
  "can", "will", "do", "have", "what", "how", "why", "when", "where", "who", "model", "tiny",
  "test", "reply", "answer", "local", "chat", "json", "true", "false", "null", "name", "value",
  "time", "day", "good", "new", "one", "two", "three", "cat", "dog", "sun", "tree", "word",
]; // prettier-ignore

const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** Mulberry32: small, fast, and the same numbers on every platform. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Box-Muller normal deviates, using both values of each pair. */
function makeNormal(rand: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = rand();
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * The SentencePiece vocabulary: control tokens, 256 byte tokens, printable ASCII, word starts,
 * and common words with every prefix (SPM merges need each intermediate piece).
 */
function buildVocab() {
  const tokens: string[] = [];
  const scores: number[] = [];
  const types: number[] = [];
  const index = new Map<string, number>();
  const add = (text: string, type: number, score: number): number => {
    const known = index.get(text);
    if (known !== undefined) return known;
    index.set(text, tokens.length);
    tokens.push(text);
    types.push(type);
    scores.push(score);
    return tokens.length - 1;
  };
  const ids = {
    unk: add("<unk>", TokenType.UNKNOWN, 0),
    bos: add("<s>", TokenType.CONTROL, 0),
    eos: add("</s>", TokenType.CONTROL, 0),
    imStart: add("<|im_start|>", TokenType.CONTROL, 0),
    imEnd: add("<|im_end|>", TokenType.CONTROL, 0),
    toolCall: add("<tool_call>", TokenType.CONTROL, 0),
    toolCallEnd: add("</tool_call>", TokenType.CONTROL, 0),
  };
  for (let b = 0; b < 256; b++)
    add(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`, TokenType.BYTE, 0);
  // Higher scores merge first; the tiny decrement keeps the order stable among equal lengths.
  let tie = 0;
  const piece = (text: string) => add(text, TokenType.NORMAL, [...text].length - tie++ * 1e-4);
  piece(SPACE);
  for (let c = 0x21; c <= 0x7e; c++) piece(String.fromCharCode(c));
  for (let c = 0x41; c <= 0x5a; c++) piece(SPACE + String.fromCharCode(c));
  for (let c = 0x61; c <= 0x7a; c++) piece(SPACE + String.fromCharCode(c));
  for (const word of COMMON_WORDS) {
    const chars = [...(SPACE + word)];
    for (let n = 2; n <= chars.length; n++) piece(chars.slice(0, n).join(""));
  }
  return { tokens, scores, types, ids };
}

/** Fills in defaults and checks the shape, naming the option at fault. */
function normalizeTinyModelOptions(options: TinyModelOptions): Readonly<Required<TinyModelOptions>> {
  const o = { ...tinyModelDefaults };
  for (const [key, value] of Object.entries(options)) {
    if (!(key in tinyModelDefaults)) throw new TypeError(`Unknown tiny model option "${key}".`);
    if (value !== undefined) (o as Record<string, unknown>)[key] = value;
  }
  for (const key of ["embd", "layers", "ff", "heads", "kvHeads", "ctx"] as const) {
    if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`${key} must be a positive integer.`);
  }
  if (o.embd % o.heads !== 0) throw new RangeError("embd must be divisible by heads.");
  if (o.heads % o.kvHeads !== 0) throw new RangeError("heads must be divisible by kvHeads.");
  const largest = Math.max(o.embd * o.embd, o.embd * o.ff, o.embd * 1024); // the vocabulary is under 1024
  if (largest > maxTensorElements) {
    throw new RangeError(
      `embd ${o.embd} with ff ${o.ff} makes a tensor of ${largest} values; this writer draws at most ${maxTensorElements} per tensor.`,
    );
  }
  return Object.freeze(o);
}

/** The model's file, laid out but not yet drawn: each tensor is drawn as it is written. */
export function layOutTinyModel(options: TinyModelOptions): { file: GgufFile; info: TinyModelInfo } {
  const o = normalizeTinyModelOptions(options);
  const headDim = o.embd / o.heads;
  const kvDim = headDim * o.kvHeads;
  const vocab = buildVocab();
  const nVocab = vocab.tokens.length;
  const normal = makeNormal(mulberry32(o.seed));

  const metadata = new Map<string, GgufMetadataValue>();
  const u32 = (key: string, value: number) => metadata.set(key, { type: GgufType.UINT32, value });
  const str = (key: string, value: string) => metadata.set(key, { type: GgufType.STRING, value });
  const f32 = (key: string, value: number) => metadata.set(key, { type: GgufType.FLOAT32, value });
  const bool = (key: string, value: boolean) => metadata.set(key, { type: GgufType.BOOL, value });
  str("general.architecture", "llama");
  str("general.name", o.name);
  str("general.description", `Random-weight tiny llama model for offline tests (seed ${o.seed})`);
  str("general.license", "MIT");
  u32("general.alignment", ALIGNMENT);
  u32("general.file_type", 0); // all F32
  u32("llama.context_length", o.ctx);
  u32("llama.embedding_length", o.embd);
  u32("llama.block_count", o.layers);
  u32("llama.feed_forward_length", o.ff);
  u32("llama.attention.head_count", o.heads);
  u32("llama.attention.head_count_kv", o.kvHeads);
  u32("llama.rope.dimension_count", headDim);
  f32("llama.rope.freq_base", 10000);
  f32("llama.attention.layer_norm_rms_epsilon", 1e-5);
  u32("llama.vocab_size", nVocab);
  str("tokenizer.ggml.model", "llama");
  metadata.set("tokenizer.ggml.tokens", {
    type: GgufType.ARRAY,
    itemType: GgufType.STRING,
    value: vocab.tokens,
  });
  metadata.set("tokenizer.ggml.scores", {
    type: GgufType.ARRAY,
    itemType: GgufType.FLOAT32,
    value: vocab.scores,
  });
  metadata.set("tokenizer.ggml.token_type", {
    type: GgufType.ARRAY,
    itemType: GgufType.INT32,
    value: vocab.types,
  });
  u32("tokenizer.ggml.bos_token_id", vocab.ids.bos);
  u32("tokenizer.ggml.eos_token_id", vocab.ids.eos);
  u32("tokenizer.ggml.eot_token_id", vocab.ids.imEnd);
  u32("tokenizer.ggml.unknown_token_id", vocab.ids.unk);
  u32("tokenizer.ggml.padding_token_id", vocab.ids.unk);
  bool("tokenizer.ggml.add_bos_token", true);
  bool("tokenizer.ggml.add_eos_token", false);
  bool("tokenizer.ggml.add_space_prefix", true);
  if (o.chatTemplate) str("tokenizer.chat_template", CHATML_TEMPLATE);
  // Last, so that without it the file is byte for byte the reference writer's.
  if (o.chatWrapperMarker) str(chatWrapperMetadataKey, tinyToolChatWrapperName);

  // The weights are drawn in this exact order; changing it changes every byte after it. Each
  // tensor is drawn when the writer reaches it, so only one is ever in memory.
  const tensors: GgufTensor[] = [];
  const gauss = (n: number, std: number) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = normal() * std;
    return a;
  };
  const ones = (n: number) => () => new Float32Array(n).fill(1);
  const add = (name: string, dims: number[], data: () => Float32Array) => tensors.push({ name, dims, data });

  const BIAS_DIM = 0;
  add("token_embd.weight", [o.embd, nVocab], () => {
    const embd = gauss(o.embd * nVocab, 1);
    for (let t = 0; t < nVocab; t++) embd[t * o.embd + BIAS_DIM] = 1;
    return embd;
  });
  // Never write into the bias dimension: the row of an output projection that feeds it is zero.
  const noBiasWrites = (inputs: number, outputs: number, std: number) => () =>
    gauss(inputs * outputs, std).fill(0, BIAS_DIM * inputs, (BIAS_DIM + 1) * inputs);
  for (let l = 0; l < o.layers; l++) {
    const p = `blk.${l}.`;
    add(p + "attn_norm.weight", [o.embd], ones(o.embd));
    add(p + "attn_q.weight", [o.embd, o.embd], () => gauss(o.embd * o.embd, 1 / Math.sqrt(o.embd)));
    add(p + "attn_k.weight", [o.embd, kvDim], () => gauss(o.embd * kvDim, 1 / Math.sqrt(o.embd)));
    add(p + "attn_v.weight", [o.embd, kvDim], () => gauss(o.embd * kvDim, 1 / Math.sqrt(o.embd)));
    add(p + "attn_output.weight", [o.embd, o.embd], noBiasWrites(o.embd, o.embd, 0.5 / Math.sqrt(o.embd)));
    add(p + "ffn_norm.weight", [o.embd], ones(o.embd));
    add(p + "ffn_gate.weight", [o.embd, o.ff], () => gauss(o.embd * o.ff, 1 / Math.sqrt(o.embd)));
    add(p + "ffn_up.weight", [o.embd, o.ff], () => gauss(o.embd * o.ff, 1 / Math.sqrt(o.embd)));
    add(p + "ffn_down.weight", [o.ff, o.embd], noBiasWrites(o.ff, o.embd, 0.5 / Math.sqrt(o.ff)));
  }
  add("output_norm.weight", [o.embd], ones(o.embd));
  add("output.weight", [o.embd, nVocab], () => {
    const out = gauss(o.embd * nVocab, o.logitScale / Math.sqrt(o.embd));
    const endOfTurn = new Set([vocab.ids.eos, vocab.ids.imEnd]);
    const closers = new Set(['"', ",", "}", "]"].map((c) => vocab.tokens.indexOf(c)));
    for (let t = 0; t < nVocab; t++) {
      let bias = 0;
      if (endOfTurn.has(t)) bias = o.eosBias;
      else if (t === vocab.ids.toolCall) bias = o.toolBias;
      else if (vocab.types[t] !== TokenType.NORMAL) bias = o.banBias;
      else if (closers.has(t)) bias = o.punctBias;
      out[t * o.embd + BIAS_DIM] = bias;
    }
    return out;
  });

  const file = layOutGguf(metadata, tensors, ALIGNMENT);
  const params = tensors.reduce((sum, t) => sum + elementCount(t), 0);
  return { file, info: { nVocab, params, tensors: tensors.length, size: file.size, options: o } };
}

/** Builds the tiny model in memory. The same options always give the same bytes. */
export function buildTinyModel(options: TinyModelOptions = {}): { bytes: Uint8Array; info: TinyModelInfo } {
  const { file, info } = layOutTinyModel(options);
  const bytes = new Uint8Array(file.size);
  let offset = 0;
  for (const chunk of file.chunks()) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes, info };
}

/**
 * Writes the tiny model to `path` (llama.cpp loads models from files only).
 * @example
 * ```ts
 * import { writeTinyModel } from "ai-inference/server";
 * await writeTinyModel("tiny.gguf"); // about 600 KB, the same bytes every time
 * // A compute-bound model for benchmarks: 38.6 M parameters, 154 MB.
 * await writeTinyModel("38m.gguf", { embd: 768, layers: 6, ff: 2048, heads: 12, kvHeads: 4 });
 * ```
 */
export async function writeTinyModel(path: string, options: TinyModelOptions = {}): Promise<TinyModelInfo> {
  const { file, info } = layOutTinyModel(options);
  // Tensor by tensor into a temporary file, renamed when complete: memory stays at one tensor, and
  // an interrupted write never leaves a truncated model under the real name.
  const partial = `${path}.${process.pid}.partial`;
  const handle = await open(partial, "w");
  try {
    for (const chunk of file.chunks()) await handle.write(chunk);
    await handle.close();
    await rename(partial, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
  return info;
}
