// POST /chat/completions (S1.2, S1.3): validate and prepare first (a bad request never waits for
// a slot), then, once capacity admits it, generate: one JSON reply, or an SSE stream.
import type { Handler, MiddlewareHandler } from "hono";
import type { Engine, PreparedChat } from "../engine/engine.js";
import { abortedError } from "../http-error.js";
import { type ChatRequest, readChatRequest } from "../request/chat-request.js";
import {
  chatCompletion,
  chatCompletionChunk,
  contentChunkJson,
  newReplyIdentity,
  toWireToolCalls,
} from "../reply/chat-reply.js";
import { coalesceText } from "../reply/coalesce.js";
import { sseReply } from "../reply/sse.js";
import type { ServerEnv } from "../server-env.js";

/** Text generated within this many milliseconds of the last delta joins the next one. */
const deltaWindowMs = 10;

interface PreparedChatRequest {
  readonly request: ChatRequest;
  readonly prepared: PreparedChat;
}

/** Reads the body into an engine request and lets the engine check it (400s happen here). */
export function prepareChatCompletions(engine: Engine): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const request = readChatRequest(c.get("body"), c.req.raw.headers);
    const prepared = await engine.prepareChat(request.engineRequest);
    c.set("prepared", { request, prepared } satisfies PreparedChatRequest);
    return next();
  };
}

/** Runs the prepared request (after `prepareChatCompletions` and capacity). */
export function chatCompletions(engine: Engine): Handler<ServerEnv> {
  return async (c) => {
    const { request, prepared } = c.get("prepared") as PreparedChatRequest;
    const identity = newReplyIdentity(engine.info.modelName);
    const signal = c.get("workSignal");
    const prompt = request.engineRequest.messages;

    if (!request.stream) {
      const result = await prepared.run({ signal }).catch((error: unknown) => {
        throw signal.aborted ? abortedError(signal) : error;
      });
      c.set("usage", { ...result.usage });
      const reply = chatCompletion(identity, result, toWireToolCalls(result.toolCalls));
      c.set("content", { prompt, output: reply.choices[0].message });
      return c.json(reply);
    }

    const { includeUsage } = request;
    const { response, done } = sseReply(async (send, streamSignal) => {
      const chunk = (body: Parameters<typeof chatCompletionChunk>[1]) =>
        send(chatCompletionChunk(identity, body, includeUsage));
      const contentChunk = contentChunkJson(identity, includeUsage);
      chunk({ delta: { role: "assistant" } });
      let output = "";
      const deltas = coalesceText((text) => send.json(contentChunk(text)), deltaWindowMs);
      let result;
      try {
        result = await prepared.run({
          signal: streamSignal,
          onText: (text) => {
            output += text;
            deltas.push(text);
          },
        });
      } finally {
        deltas.flush();
      }
      c.set("usage", { ...result.usage });
      const toolCalls = toWireToolCalls(result.toolCalls);
      if (toolCalls.length > 0)
        chunk({ delta: { tool_calls: toolCalls.map((call, index) => ({ index, ...call })) } });
      chunk({ delta: {}, finishReason: result.finishReason });
      if (includeUsage) chunk({ usage: result.usage });
      c.set("content", { prompt, output: { content: output, tool_calls: toolCalls } });
    }, signal);
    c.set("work", done);
    return response;
  };
}
