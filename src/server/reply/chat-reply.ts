// The wire shapes of chat replies (S1.3, protocol.md P5.13). The non-streamed reply has exactly
// the shape the accumulated stream gets: a message with `role`, `content` (null when there is
// none) and `tool_calls` only when calls happened. So the stream never sends an empty `content`
// delta, and both replies carry the same ids, so the two compare equal.
import { randomUUID } from "node:crypto";
import type { EngineChatResult, EngineFinishReason } from "../engine/engine.js";

/** What every reply of one request shares. */
export interface ReplyIdentity {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

export function newReplyIdentity(model: string): ReplyIdentity {
  return {
    id: `chatcmpl-${randomUUID().replaceAll("-", "")}`,
    created: Math.floor(Date.now() / 1000),
    model,
  };
}

/** Tool calls of one reply, with their wire ids. */
export interface WireToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export function toWireToolCalls(calls: EngineChatResult["toolCalls"]): WireToolCall[] {
  return calls.map((call) => ({
    id: `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
    type: "function",
    function: { name: call.name, arguments: call.arguments },
  }));
}

export function wireUsage(usage: EngineChatResult["usage"]) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
  };
}

/** The `chat.completion` object. */
export function chatCompletion(identity: ReplyIdentity, result: EngineChatResult, toolCalls: WireToolCall[]) {
  const message: { role: "assistant"; content: string | null; tool_calls?: WireToolCall[] } = {
    role: "assistant",
    content: result.content === "" ? null : result.content,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: identity.id,
    object: "chat.completion",
    created: identity.created,
    model: identity.model,
    choices: [{ index: 0, message, finish_reason: result.finishReason }],
    usage: wireUsage(result.usage),
  };
}

/** What one `chat.completion.chunk` carries. */
export type ChunkBody =
  | { delta: Record<string, unknown>; finishReason?: EngineFinishReason }
  | { usage: EngineChatResult["usage"] };

/**
 * A `chat.completion.chunk`. With `include_usage`, every chunk has `usage: null` and the last one
 * is usage only, with no choices (OpenAI's shape, P5.6).
 */
export function chatCompletionChunk(identity: ReplyIdentity, body: ChunkBody, includeUsage: boolean) {
  const base = {
    id: identity.id,
    object: "chat.completion.chunk",
    created: identity.created,
    model: identity.model,
  };
  if ("usage" in body) return { ...base, choices: [], usage: wireUsage(body.usage) };
  return {
    ...base,
    choices: [{ index: 0, delta: body.delta, finish_reason: body.finishReason ?? null }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/**
 * The JSON text of content-delta chunks, from a template: streaming's hot path (one chunk per
 * token, where a tiny model makes a token in under a millisecond) skips building and serialising
 * the whole object. The text equals `JSON.stringify(chatCompletionChunk(...))` for the same delta.
 */
export function contentChunkJson(identity: ReplyIdentity, includeUsage: boolean): (text: string) => string {
  const template = JSON.stringify(chatCompletionChunk(identity, { delta: { content: "" } }, includeUsage));
  // The marker can't occur inside a JSON string, where its quotes would be escaped.
  const at = template.lastIndexOf('"content":""') + '"content":'.length;
  const head = template.slice(0, at);
  const tail = template.slice(at + 2);
  return (text) => head + JSON.stringify(text) + tail;
}
