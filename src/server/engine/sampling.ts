// A request's sampling settings (S2.2) as node-llama-cpp takes them, the same for the plain-text
// path (plain-generation.ts) and for LlamaChat.
import type { LlamaModel, SequenceEvaluateOptions } from "node-llama-cpp";
import type { EngineChatRequest } from "./engine.js";
import type { NodeLlamaCpp } from "./load-node-llama-cpp.js";

/** The defaults of S2.2. */
const defaultTemperature = 0.7;
const defaultTopP = 1;

/** OpenAI's penalties, as node-llama-cpp's repeat penalty takes them. */
export interface Penalties {
  readonly penalty: number;
  readonly frequencyPenalty: number;
  readonly presencePenalty: number;
}

/** Sampling as `sequence.evaluate` and `LlamaChat.generateResponse` both take it. */
export type Sampling = Pick<
  SequenceEvaluateOptions,
  "temperature" | "topP" | "topK" | "minP" | "seed" | "tokenBias"
>;

export function toSampling(
  module: NodeLlamaCpp,
  model: LlamaModel,
  request: EngineChatRequest,
): { sampling: Sampling; penalties: Penalties | undefined } {
  let tokenBias: InstanceType<NodeLlamaCpp["TokenBias"]> | undefined;
  if (request.logitBias) {
    tokenBias = new module.TokenBias(model.tokenizer);
    for (const [token, value] of Object.entries(request.logitBias)) {
      tokenBias.set(Number(token) as never, { logit: value });
    }
  }
  return {
    sampling: {
      temperature: request.temperature ?? defaultTemperature,
      // top_p 1 keeps every token: leaving it out spares llama.cpp a sort of the logits per token.
      topP: (request.topP ?? defaultTopP) < 1 ? request.topP : undefined,
      seed: request.seed,
      ...extraSampling(request.extra),
      tokenBias,
    },
    penalties: penalties(request),
  };
}

/** OpenAI penalties only when asked: node-llama-cpp's own default repeat penalty (1.1) would change replies. */
function penalties(request: EngineChatRequest): Penalties | undefined {
  const { frequencyPenalty, presencePenalty } = request;
  const penalty = typeof request.extra.repeat_penalty === "number" ? request.extra.repeat_penalty : 1;
  if (frequencyPenalty === undefined && presencePenalty === undefined && penalty === 1) return undefined;
  return { penalty, frequencyPenalty: frequencyPenalty ?? 0, presencePenalty: presencePenalty ?? 0 };
}

/** Pass-through keys the engine can use (`top_k`, `min_p`); the rest are ignored. */
function extraSampling(extra: Readonly<Record<string, unknown>>): { topK?: number; minP?: number } {
  const result: { topK?: number; minP?: number } = {};
  if (typeof extra.top_k === "number" && Number.isInteger(extra.top_k) && extra.top_k >= 0)
    result.topK = extra.top_k;
  if (typeof extra.min_p === "number" && extra.min_p >= 0 && extra.min_p <= 1) result.minP = extra.min_p;
  return result;
}
