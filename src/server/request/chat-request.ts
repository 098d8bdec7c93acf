// A chat completions body → a validated engine request (S1.4, S1.5). Known keys are those of
// protocol.md P1.2, read from the model layer's tables; the rest follow `extra-parameters`.
import { modelInferenceChatWireKeys, openAiOnlyChatWireKeys } from "../../models/chat-completions-options.js";
import type { EngineChatRequest } from "../engine/engine.js";
import { badRequest, unsupported } from "../http-error.js";
import { readExtraParametersMode, takeExtraParameters } from "./extra-parameters.js";
import {
  type JsonObject,
  isJsonObject,
  optionalArray,
  optionalBoolean,
  optionalInteger,
  optionalNumber,
  optionalObject,
  optionalString,
  own,
  wrongType,
} from "./fields.js";
import { readMessages } from "./messages.js";
import { readResponseFormat, readToolChoice, readTools } from "./tools.js";

/** Every body key the server knows (P1.2, OpenAI-only keys and `stream_options` included). */
export const knownChatKeys: ReadonlySet<string> = new Set([
  ...modelInferenceChatWireKeys,
  ...openAiOnlyChatWireKeys,
]);

/** What the route needs besides the engine request. */
export interface ChatRequest {
  readonly engineRequest: EngineChatRequest;
  readonly stream: boolean;
  /** `stream_options.include_usage`: a usage-only last chunk. */
  readonly includeUsage: boolean;
}

/** Validates a parsed body; throws `HttpError` (400) naming the first problem. */
export function readChatRequest(body: JsonObject, headers: Headers): ChatRequest {
  const extra = takeExtraParameters(body, knownChatKeys, readExtraParametersMode(headers));
  const messages = readMessages(body);
  const tools = readTools(body);
  const stream = optionalBoolean(body, "stream") ?? false;
  const streamOptions = optionalObject(body, "stream_options");
  const includeUsage =
    (streamOptions && optionalBoolean(streamOptions, "include_usage", "stream_options.include_usage")) ??
    false;
  optionalString(body, "model");
  optionalString(body, "user");
  optionalString(body, "reasoning_effort");
  refuseWhatCannotBeHonoured(body);
  const engineRequest: EngineChatRequest = {
    messages,
    temperature: optionalNumber(body, "temperature", { min: 0, max: 2 }),
    topP: optionalNumber(body, "top_p", { min: 0, max: 1 }),
    seed: optionalInteger(body, "seed", Number.MIN_SAFE_INTEGER),
    maxTokens: readMaxTokens(body),
    stop: readStop(body),
    frequencyPenalty: optionalNumber(body, "frequency_penalty", { min: -2, max: 2 }),
    presencePenalty: optionalNumber(body, "presence_penalty", { min: -2, max: 2 }),
    responseFormat: readResponseFormat(body),
    tools,
    toolChoice: readToolChoice(body, tools),
    parallelToolCalls: optionalBoolean(body, "parallel_tool_calls") ?? true,
    logitBias: readLogitBias(body),
    extra,
  };
  return { engineRequest, stream, includeUsage };
}

/** Known keys with values no engine here can honour: 400 naming each (S1.5). */
function refuseWhatCannotBeHonoured(body: JsonObject): void {
  const n = optionalInteger(body, "n", 1);
  if (n !== undefined && n !== 1)
    throw unsupported(`'n' must be 1: this server generates one choice per request.`, "n");
  if (optionalBoolean(body, "logprobs") === true) {
    throw unsupported("'logprobs' is not supported by this server; send false or leave it out.", "logprobs");
  }
  const topLogprobs = optionalInteger(body, "top_logprobs", 0);
  if (topLogprobs !== undefined && topLogprobs > 0) {
    throw unsupported("'top_logprobs' needs logprobs, which this server does not support.", "top_logprobs");
  }
  const modalities = optionalArray(body, "modalities");
  modalities?.forEach((modality, index) => {
    if (typeof modality !== "string") wrongType(`modalities[${index}]`, "a string", modality);
    if (modality !== "text") {
      throw unsupported(
        `'modalities' may only hold 'text': this model cannot produce '${modality}'.`,
        "modalities",
      );
    }
  });
}

/** `max_tokens`, or its alias `max_completion_tokens`; the two may only both appear when equal. */
function readMaxTokens(body: JsonObject): number | undefined {
  const maxTokens = optionalInteger(body, "max_tokens", 1);
  const maxCompletionTokens = optionalInteger(body, "max_completion_tokens", 1);
  if (maxTokens !== undefined && maxCompletionTokens !== undefined && maxTokens !== maxCompletionTokens) {
    throw badRequest(
      "'max_tokens' and 'max_completion_tokens' are the same setting and disagree; send one.",
      "max_completion_tokens",
    );
  }
  return maxTokens ?? maxCompletionTokens;
}

/**
 * Bounds on `stop`: every stop string is matched against the reply as it grows, and its prefixes
 * are held (stop-strings.ts), so a multi-megabyte stop string would block the event loop for
 * minutes. OpenAI takes 4; llama.cpp's server any number. Generous, and still cheap per token.
 */
const maxStopStrings = 16;
const maxStopLength = 1_000;

function readStop(body: JsonObject): string[] {
  const stop = own(body, "stop");
  if (stop === undefined) return [];
  const list = typeof stop === "string" ? [stop] : stop;
  if (!Array.isArray(list)) return wrongType("stop", "a string or an array of strings", stop);
  if (list.length > maxStopStrings)
    throw badRequest(`'stop' has ${list.length} strings; at most ${maxStopStrings} are allowed.`, "stop");
  return list.map((item: unknown, index) => {
    if (typeof item !== "string" || item === "")
      return wrongType(`stop[${index}]`, "a non-empty string", item);
    if (item.length > maxStopLength)
      throw badRequest(
        `'stop[${index}]' is ${item.length} characters long; at most ${maxStopLength} are allowed.`,
        `stop[${index}]`,
      );
    return item;
  });
}

function readLogitBias(body: JsonObject): Record<string, number> | undefined {
  const bias = own(body, "logit_bias");
  if (bias === undefined) return undefined;
  if (!isJsonObject(bias)) return wrongType("logit_bias", "an object of token id → bias", bias);
  const result: Record<string, number> = Object.create(null);
  for (const [token, value] of Object.entries(bias)) {
    if (!/^\d+$/.test(token))
      throw badRequest(`'logit_bias' keys must be token ids, not '${token}'.`, "logit_bias");
    if (typeof value !== "number" || value < -100 || value > 100) {
      throw badRequest(
        `'logit_bias' values must be numbers from -100 to 100 (token ${token}).`,
        "logit_bias",
      );
    }
    result[token] = value;
  }
  return result;
}
