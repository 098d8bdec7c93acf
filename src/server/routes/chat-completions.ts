// POST /chat/completions (S1.2, S1.3): validate first and refuse what is certainly too long (a bad
// request never waits for a slot), then, once capacity admits it, let the engine tokenize and
// check the request and generate: one JSON reply, or an SSE stream.
import type { Handler, MiddlewareHandler } from "hono";
import type { Engine, EngineUsage } from "../engine/engine.js";
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

/** Reads the body into an engine request and runs the engine's cheap checks (400s happen here). */
export function readChatCompletions(engine: Engine): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    const request = readChatRequest(c.get("body"), c.req.raw.headers);
    engine.checkChat?.(request.engineRequest);
    c.set("prepared", request);
    return next();
  };
}

/** Prepares and runs the request (after `readChatCompletions` and capacity). */
export function chatCompletions(engine: Engine): Handler<ServerEnv> {
  return async (c) => {
    const request = c.get("prepared") as ChatRequest;
    const signal = c.get("workSignal");
    const prepared = await engine.prepareChat(request.engineRequest);
    const identity = newReplyIdentity(engine.info.modelName);
    const prompt = request.engineRequest.messages;
    // Set however the run ends, so an aborted request is logged with the tokens made until then.
    const onUsage = (usage: EngineUsage) => c.set("usage", { ...usage });

    if (!request.stream) {
      const result = await prepared.run({ signal, onUsage }).catch((error: unknown) => {
        throw signal.aborted ? abortedError(signal) : error;
      });
      const reply = chatCompletion(identity, result, toWireToolCalls(result.toolCalls));
      c.set("content", { prompt, output: reply.choices[0].message });
      return c.json(reply);
    }

    const { includeUsage } = request;
    let output = "";
    const { response, done } = sseReply(
      async (send, streamSignal) => {
        const chunk = (body: Parameters<typeof chatCompletionChunk>[1]) =>
          send(chatCompletionChunk(identity, body, includeUsage));
        const contentChunk = contentChunkJson(identity, includeUsage);
        chunk({ delta: { role: "assistant" } });
        const deltas = coalesceText((text) => send.json(contentChunk(text)), deltaWindowMs);
        let result;
        try {
          result = await prepared.run({
            signal: streamSignal,
            onText: (text) => {
              output += text;
              deltas.push(text);
            },
            onUsage,
          });
        } finally {
          deltas.flush();
        }
        const toolCalls = toWireToolCalls(result.toolCalls);
        if (toolCalls.length > 0)
          chunk({ delta: { tool_calls: toolCalls.map((call, index) => ({ index, ...call })) } });
        chunk({ delta: {}, finishReason: result.finishReason });
        if (includeUsage) chunk({ usage: result.usage });
        c.set("content", { prompt, output: { content: output, tool_calls: toolCalls } });
      },
      { signal, errorBodyOnAbort: !c.get("overHttp") },
    );
    c.set(
      "work",
      done.then((status) => {
        c.set("finalStatus", status);
        if (status !== 200) c.set("content", { prompt, output: { content: output } });
      }),
    );
    return response;
  };
}
