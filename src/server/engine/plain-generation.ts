// Plain-text generation straight on a context sequence (issue 10): a request with no functions in
// play needs none of `LlamaChat.generateResponse`'s per-token machinery (function-call, segment,
// prefix and rerender detectors, a token stream regulator with locks, the context-window history
// bookkeeping), which cost about as much per token as the tiny model's whole forward pass. This
// path decodes tokens to text itself, keeping what the server promises: a character split across
// tokens is never emitted half, a stop string split across tokens is never emitted at all, the
// chat template's end-of-turn markers end the reply, and a JSON grammar's reply loses its
// trailing whitespace, as with LlamaChat.
//
// node-llama-cpp's own helpers for this (StopGenerationDetector, TokenStreamRegulator) are not
// exported from the package, so the text side is ours (stop-strings.ts).
import type {
  ChatWrapperGeneratedContextState,
  ChatWrapperSettings,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaGrammarEvaluationState,
  LlamaModel,
  Token,
  Tokenizer,
} from "node-llama-cpp";
import type { Penalties, Sampling } from "./sampling.js";
import { StopStringFilter, TrailingSpaceFilter } from "./stop-strings.js";

/** What ends a plain-text reply, resolved for one model; see `planPlainGeneration`. */
export interface PlainGenerationPlan {
  /** The request's stop strings and the template's textual end markers. */
  readonly stopTexts: readonly string[];
  /** Tokens that end the reply besides the model's end-of-generation tokens. */
  readonly stopTokens: ReadonlySet<Token>;
  /** Drop the reply's trailing whitespace (a JSON grammar asks for it). */
  readonly trimWhitespace: boolean;
}

/** One run of a plain-text generation. */
export interface PlainGenerationRun {
  readonly sequence: LlamaContextSequence;
  readonly plan: PlainGenerationPlan;
  /** The whole prompt, template included. */
  readonly prompt: readonly Token[];
  readonly maxTokens: number;
  readonly sampling: Sampling;
  /** `undefined` for none. */
  readonly penalties?: Penalties;
  readonly grammarEvaluationState?: LlamaGrammarEvaluationState;
  readonly signal: AbortSignal;
  onText?(text: string): void;
  /** Called once, when the first token has been sampled. */
  onFirstToken?(): void;
}

/** The finished reply. */
export interface PlainGenerationResult {
  readonly content: string;
  readonly finishReason: "stop" | "length";
}

/** The most tokens one character can be split over: UTF-8 has at most four bytes a character. */
const maxTokensPerCharacter = 4;
/** What a detokenized piece ends with while a character is incomplete. */
const replacementCharacter = "\uFFFD";
/** Tokens before a piece that detokenizing needs (SentencePiece drops a leading space without them). */
const detokenizerContextTokens = 3;
/** LlamaChat's repeat-penalty window, kept so that penalties weigh the same on both paths. */
const penaltyWindow = 64;

/**
 * Whether a request can take the plain path, and what ends its reply. `undefined` sends it to
 * LlamaChat: a template that starts the reply with something to detect (ignored start text,
 * prefix triggers, a rerender, an engaged function call), a thought or comment segment that opens
 * with a control token of this model (LlamaChat hides those segments from the reply), or an end
 * marker that is neither text nor one token. A segment whose opening is plain text to this model
 * (Qwen's `<think>` to Qwen 2.5, which has no such token and was never trained to think) does not
 * keep a request off the plain path, which leaves such text in the reply.
 */
export function planPlainGeneration(options: {
  readonly tokenizer: Tokenizer;
  readonly settings: ChatWrapperSettings;
  readonly state: ChatWrapperGeneratedContextState;
  readonly grammar?: LlamaGrammar;
  readonly stop: readonly string[];
}): PlainGenerationPlan | undefined {
  const { tokenizer, settings, state, grammar } = options;
  if ((state.ignoreStartText?.length ?? 0) > 0 || state.functionCall?.initiallyEngaged) return undefined;
  if ((state.prefixTriggers?.length ?? 0) > 0 || state.noPrefixTrigger || state.rerender) return undefined;
  for (const segment of [settings.segments?.thought, settings.segments?.comment]) {
    if (!segment) continue;
    if ("openOnResponseStart" in segment && segment.openOnResponseStart) return undefined;
    const parts = resolveTrigger(segment.prefix as unknown, tokenizer);
    if (!parts || parts.some((part) => typeof part !== "string")) return undefined;
  }
  const stopTexts = new Set(options.stop.filter((stop) => stop !== ""));
  const stopTokens = new Set<Token>();
  for (const trigger of [...state.stopGenerationTriggers, ...(grammar?.stopGenerationTriggers ?? [])]) {
    const parts = resolveTrigger(trigger, tokenizer)?.filter((part) => part !== "");
    if (!parts || parts.length === 0) continue;
    if (parts.every((part) => typeof part === "string")) stopTexts.add(parts.join(""));
    else if (parts.length === 1) stopTokens.add(parts[0] as Token);
    else return undefined;
  }
  return { stopTexts: [...stopTexts], stopTokens, trimWhitespace: grammar?.trimWhitespaceSuffix ?? false };
}

/**
 * A trigger as node-llama-cpp's stop detector sees it: text, and the control tokens of this
 * model. `undefined` for a value of a shape this code does not know.
 */
function resolveTrigger(trigger: unknown, tokenizer: Tokenizer): (string | Token)[] | undefined {
  if (typeof trigger === "string") return [trigger];
  const values = Array.isArray(trigger)
    ? (trigger as unknown[])
    : typeof trigger === "object" && trigger !== null && "values" in trigger
      ? (trigger as { values: readonly unknown[] }).values
      : undefined;
  if (!values) return undefined;
  const parts: (string | Token)[] = [];
  for (const value of values) {
    if (typeof value === "string" || typeof value === "number") parts.push(value as string | Token);
    else if (hasMethod(value, "tokenizeSpecialTokensOnly"))
      parts.push(...value.tokenizeSpecialTokensOnly(tokenizer));
    else if (hasMethod(value, "tokenize")) parts.push(...value.tokenize(tokenizer));
    else return undefined;
  }
  // Adjacent texts join, as the detector's own resolution does.
  const joined: (string | Token)[] = [];
  for (const part of parts) {
    const last = joined.at(-1);
    if (typeof part === "string" && typeof last === "string") joined[joined.length - 1] = last + part;
    else joined.push(part);
  }
  return joined;
}

function hasMethod<Name extends string>(
  value: unknown,
  name: Name,
): value is Record<Name, (tokenizer: Tokenizer) => (string | Token)[]> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<string, unknown>)[name] === "function"
  );
}

/**
 * Generates one plain-text reply on `sequence`. The part of the prompt the sequence already holds
 * (the previous request's conversation, in a chat) is kept in the KV cache and not decoded again,
 * as LlamaChat does; the rest of the sequence is erased first.
 */
export async function generatePlainText(run: PlainGenerationRun): Promise<PlainGenerationResult> {
  const { sequence, plan, prompt, maxTokens, signal } = run;
  const model: LlamaModel = sequence.model;
  signal.throwIfAborted();
  // At least the last prompt token is decoded, for the logits of the first reply token.
  await sequence.adaptStateToTokens(prompt.slice(0, -1), false);
  signal.throwIfAborted();
  const input = prompt.slice(sequence.nextTokenIndex);

  const stops = new StopStringFilter(plan.stopTexts);
  const spaces = plan.trimWhitespace ? new TrailingSpaceFilter() : undefined;
  let content = "";
  const release = (text: string) => {
    const kept = spaces ? spaces.push(text) : text;
    if (kept === "") return;
    content += kept;
    run.onText?.(kept);
  };

  const generated: Token[] = [];
  const penalties = run.penalties;
  const iterator = sequence.evaluateWithMetadata(
    input,
    {},
    {
      ...run.sampling,
      grammarEvaluationState: run.grammarEvaluationState,
      repeatPenalty: penalties && {
        ...penalties,
        maxPunishTokens: penaltyWindow,
        punishTokens: () => recentWithoutNewline(generated, model.tokens.nl),
      },
    },
  );
  // Tokens whose text is not complete yet (a character split across them), and the reply tokens
  // before them. The reply's first token is detokenized as the start of a text, as LlamaChat
  // does: a SentencePiece model writes its first word with the space its tokenizer put before
  // every text, which is not part of the reply.
  let pending: Token[] = [];
  let context: Token[] = [];
  let count = 0;
  let finishReason: PlainGenerationResult["finishReason"] = "stop";
  // Leaving the loop (break, throw) ends the evaluation: its lock and sampler are freed.
  for await (const { token } of iterator) {
    if (++count === 1) {
      run.onFirstToken?.();
      // A model whose KV cache cannot be cut at any token (sliding-window attention, recurrent)
      // reuses a prefix from a checkpoint: one of the prompt, as LlamaChat takes it.
      if (sequence.needsCheckpoints) await sequence.takeCheckpoint();
    }
    if (signal.aborted) throw signal.reason;
    if (plan.stopTokens.has(token)) break;
    pending.push(token);
    const text = model.detokenize(pending, false, context);
    const incomplete =
      text.endsWith(replacementCharacter) &&
      pending.length < maxTokensPerCharacter &&
      !model.isSpecialToken(token);
    if (!incomplete) {
      // Penalized from now on: LlamaChat too counts a split character's tokens once it is whole.
      if (penalties) generated.push(...pending);
      context = [...context, ...pending].slice(-detokenizerContextTokens);
      pending = [];
      release(stops.push(text));
      if (stops.stopped) break;
    }
    if (count >= maxTokens) {
      finishReason = "length";
      break;
    }
  }
  signal.throwIfAborted();
  // And one of the whole conversation, for the next request to continue from (not waited for,
  // as in LlamaChat; a checkpoint that fails only costs the next request a longer prompt).
  if (sequence.needsCheckpoints) sequence.takeCheckpoint().catch(() => undefined);
  if (!stops.stopped) {
    // The reply ended without a stop string: what was held for one is reply text. A character
    // the model ended its turn in the middle of is kept (as U+FFFD); one that max_tokens cut is
    // dropped: both as LlamaChat does.
    if (pending.length > 0 && finishReason === "stop") {
      release(stops.push(model.detokenize(pending, false, context)));
    }
    if (!stops.stopped) release(stops.flush());
  }
  return { content, finishReason };
}

/** LlamaChat's penalized tokens: the recent reply tokens, newlines excepted. */
function recentWithoutNewline(generated: readonly Token[], newline: Token | null): Token[] {
  const recent = generated.slice(-penaltyWindow);
  return newline === null ? recent : recent.filter((token) => token !== newline);
}
