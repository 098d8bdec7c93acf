// The scripted engine: answers from a list of replies instead of a model, so that apps can test
// their tool loops and UIs offline against real HTTP and real SSE (`serve --replies FILE`,
// `createServer({ replies })`). Replies are taken in order, or chosen by a substring of the last
// user message; when none is left the answer is a 500 that says so.
import { randomUUID } from "node:crypto";
import { sleep } from "../../internal/sleep.js";
import { HttpError, type HttpErrorCode, badRequest } from "../http-error.js";
import { type JsonObject, isJsonObject, own } from "../request/fields.js";
import {
  type ReplyIdentity,
  type WireToolCall,
  chatCompletion,
  chatCompletionChunk,
  newReplyIdentity,
} from "../reply/chat-reply.js";
import type { EngineFinishReason } from "./engine.js";
import { type ScriptedReply, checkScriptedReplies } from "./scripted-replies.js";
import type { WireEngine, WireReply, WireRequest } from "./wire-engine.js";

/** The model name replies give when the request names none. */
export const scriptedModelName = "scripted";

/** A scripted engine, with what a test may want to check afterwards. */
export interface ScriptedEngine extends WireEngine {
  /** Replies not used yet (those with `repeat` are never used up). */
  remaining(): readonly ScriptedReply[];
}

/** The engine over `replies` (checked: a bad reply throws `TypeError` naming it). */
export function createScriptedEngine(replies: readonly ScriptedReply[]): ScriptedEngine {
  const script = [...checkScriptedReplies(replies)];
  const total = script.length;

  const take = (lastUserText: string): ScriptedReply | undefined => {
    let index = script.findIndex((reply) => reply.match !== undefined && lastUserText.includes(reply.match));
    if (index < 0) index = script.findIndex((reply) => reply.match === undefined);
    if (index < 0) return undefined;
    const reply = script[index];
    if (reply.repeat !== true) script.splice(index, 1);
    return reply;
  };

  return {
    kind: "wire",
    info: { modelName: scriptedModelName, modelType: "chat-completion", modelProviderName: "ai-inference" },
    models: () => [{ id: scriptedModelName }],
    remaining: () => [...script],
    async chat(request) {
      const messages = readMessages(request.body);
      const lastUser = lastUserText(messages);
      const reply = take(lastUser);
      if (reply === undefined) {
        throw new HttpError({
          status: 500,
          code: "script_exhausted",
          message:
            `The script has no reply left for this request (${total} ${total === 1 ? "reply" : "replies"} ` +
            `given, none left that matches; last user message: ${JSON.stringify(clip(lastUser))}).`,
        });
      }
      return answer(reply, request, messages);
    },
    async embeddings(request) {
      return embed(request.body);
    },
    async close() {},
  };
}

function answer(
  reply: ScriptedReply,
  request: WireRequest,
  messages: readonly JsonObject[],
): WireReply | Promise<WireReply> {
  const delayMs = reply.delayMs ?? 0;
  if (reply.status !== undefined) {
    const body = reply.body ?? {
      error: { code: "scripted", message: `Scripted reply with status ${reply.status}.` },
    };
    return afterDelay(delayMs, request.signal, { status: reply.status, headers: reply.headers, body });
  }
  const { body } = request;
  const model = typeof body.model === "string" && body.model !== "" ? body.model : scriptedModelName;
  const identity = newReplyIdentity(model);
  const chunks = typeof reply.content === "string" ? [reply.content] : [...(reply.content ?? [])];
  const content = chunks.join("");
  const toolCalls: WireToolCall[] = (reply.toolCalls ?? []).map((call) => ({
    id: call.id ?? `call_${randomUUID().replaceAll("-", "").slice(0, 24)}`,
    type: "function",
    function: {
      name: call.name,
      arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments ?? {}),
    },
  }));
  const finishReason = (reply.finishReason ??
    (toolCalls.length > 0 ? "tool_calls" : "stop")) as EngineFinishReason;
  const usage = reply.usage ?? {
    promptTokens: estimateTokens(JSON.stringify(messages)),
    completionTokens: estimateTokens(content + toolCalls.map((call) => call.function.arguments).join("")),
  };
  const result = { content, toolCalls: [], finishReason, usage };
  if (body.stream !== true) {
    return afterDelay(delayMs, request.signal, {
      status: 200,
      body: chatCompletion(identity, result, toolCalls),
    });
  }
  const options = own(body, "stream_options");
  const includeUsage = isJsonObject(options) && options.include_usage === true;
  return {
    events: streamEvents(
      identity,
      chunks,
      toolCalls,
      { ...result, includeUsage, delayMs, reply },
      request.signal,
    ),
  };
}

async function* streamEvents(
  identity: ReplyIdentity,
  chunks: readonly string[],
  toolCalls: readonly WireToolCall[],
  end: {
    finishReason: EngineFinishReason;
    usage: { promptTokens: number; completionTokens: number };
    includeUsage: boolean;
    delayMs: number;
    reply: ScriptedReply;
  },
  signal: AbortSignal,
): AsyncGenerator<unknown> {
  const chunk = (body: Parameters<typeof chatCompletionChunk>[1]) =>
    chatCompletionChunk(identity, body, end.includeUsage);
  yield chunk({ delta: { role: "assistant" } });
  let first = true;
  for (const text of chunks) {
    if (!first && end.delayMs > 0) await sleep(end.delayMs, signal);
    first = false;
    if (text !== "") yield chunk({ delta: { content: text } });
  }
  if (toolCalls.length > 0) {
    if (!first && end.delayMs > 0) await sleep(end.delayMs, signal);
    yield chunk({ delta: { tool_calls: toolCalls.map((call, index) => ({ index, ...call })) } });
  }
  const { streamError } = end.reply;
  if (streamError !== undefined) {
    // A script may name any code, as a real service does.
    const code = (streamError.code ?? "scripted") as HttpErrorCode;
    throw new HttpError({ status: 500, code, message: streamError.message });
  }
  yield chunk({ delta: {}, finishReason: end.finishReason });
  if (end.includeUsage) yield chunk({ usage: end.usage });
}

async function afterDelay(delayMs: number, signal: AbortSignal, reply: WireReply): Promise<WireReply> {
  if (delayMs > 0) await sleep(delayMs, signal);
  return reply;
}

/** `messages`, checked only as far as the engine reads them (a real upstream checks the rest). */
function readMessages(body: JsonObject): readonly JsonObject[] {
  const messages = own(body, "messages");
  if (!Array.isArray(messages) || messages.length === 0) {
    throw badRequest("'messages' is required: a non-empty array of messages.", "messages");
  }
  messages.forEach((message: unknown, index) => {
    if (!isJsonObject(message) || typeof message.role !== "string") {
      throw badRequest(`messages[${index}] must be an object with a 'role'.`, `messages[${index}]`);
    }
  });
  return messages as JsonObject[];
}

/** The text of the last user message: its string, or its text parts joined by newlines. */
function lastUserText(messages: readonly JsonObject[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message.role !== "user") continue;
    const content = message.content;
    if (typeof content === "string") return content;
    if (!Array.isArray(content)) return "";
    return content
      .map((part: unknown) => (isJsonObject(part) && typeof part.text === "string" ? part.text : ""))
      .filter((text) => text !== "")
      .join("\n");
  }
  return "";
}

/** A rough count (four characters a token), for replies that give no `usage`. */
function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function clip(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 80)}…`;
}

/**
 * Embeddings that are stable for a text (the same text, the same vector; different texts, different
 * vectors) and of unit length, from a hash: enough for an app's plumbing, meaningless otherwise.
 */
function embed(body: JsonObject): WireReply {
  const input = own(body, "input");
  const texts = typeof input === "string" ? [input] : input;
  if (!Array.isArray(texts) || texts.length === 0 || !texts.every((text) => typeof text === "string")) {
    throw badRequest("'input' must be a string or a non-empty array of strings.", "input");
  }
  const dimensions = own(body, "dimensions");
  const size = dimensions === undefined ? 16 : dimensions;
  if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > 8192) {
    throw badRequest("'dimensions' must be a whole number from 1 to 8192.", "dimensions");
  }
  const data = (texts as string[]).map((text, index) => ({
    object: "embedding",
    index,
    embedding: hashVector(text, size as number),
  }));
  const promptTokens = (texts as string[]).reduce((sum, text) => sum + estimateTokens(text), 0);
  const model = typeof body.model === "string" && body.model !== "" ? body.model : scriptedModelName;
  return {
    status: 200,
    body: {
      id: `embd-${randomUUID().replaceAll("-", "")}`,
      object: "list",
      data,
      model,
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
  };
}

function hashVector(text: string, size: number): number[] {
  // FNV-1a over the text seeds a xorshift generator.
  let state = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) state = Math.imul(state ^ text.charCodeAt(i), 0x01000193) >>> 0;
  const vector: number[] = [];
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    vector.push(state / 0xffffffff - 0.5);
  }
  const length = Math.hypot(...vector) || 1;
  return vector.map((value) => value / length);
}
