// Scripted model answers for the loopback server: the exact bytes of a chat completion (JSON) or of
// its stream (SSE, OpenAI-style: the role first, content in pieces, each tool call as a first
// fragment with id and name then argument pieces keyed by index, the finish reason last).
import type { ReplyPlan } from "./loopback-server.js";

type Json = Record<string, unknown>;

/** A tool call as the wire carries it; object arguments are written as JSON. */
export function toolCall(id: string, name: string, args: string | Json): Json {
  return {
    id,
    type: "function",
    function: { name, arguments: typeof args === "string" ? args : JSON.stringify(args) },
  };
}

/** The assistant's message of an answer. */
export interface ScriptedMessage {
  readonly content?: string | null;
  readonly toolCalls?: readonly Json[];
  readonly refusal?: string | null;
}

let counter = 0;

/** The JSON body of a whole answer. */
export function completionBody(message: ScriptedMessage, finishReason?: string): Json {
  const calls = message.toolCalls ?? [];
  const wire: Json = { role: "assistant", content: message.content ?? null };
  if (message.refusal !== undefined) wire.refusal = message.refusal;
  if (calls.length > 0) wire.tool_calls = calls;
  return {
    id: `chatcmpl-scripted-${++counter}`,
    object: "chat.completion",
    created: 1736389146,
    model: "scripted-model",
    choices: [
      { index: 0, message: wire, finish_reason: finishReason ?? (calls.length > 0 ? "tool_calls" : "stop") },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
}

/** A 200 reply with the whole answer, written as exact bytes. */
export function reply(message: ScriptedMessage, finishReason?: string): ReplyPlan {
  return {
    headers: { "content-type": "application/json" },
    body: JSON.stringify(completionBody(message, finishReason)),
  };
}

/** A 200 event-stream reply of the same answer, one read per event. */
export function streamReply(message: ScriptedMessage, finishReason?: string): ReplyPlan {
  const id = `chatcmpl-streamed-${++counter}`;
  const chunk = (delta: Json, finish: string | null = null) =>
    `data: ${JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created: 1736389146,
      model: "scripted-model",
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  const events = [chunk({ role: "assistant", content: "" })];
  const content = message.content ?? "";
  for (let i = 0; i < content.length; i += 4) events.push(chunk({ content: content.slice(i, i + 4) }));
  const calls = message.toolCalls ?? [];
  calls.forEach((call, index) => {
    const fn = call.function as { name: string; arguments: string };
    events.push(
      chunk({
        tool_calls: [{ index, id: call.id, type: "function", function: { name: fn.name, arguments: "" } }],
      }),
    );
    for (let i = 0; i < fn.arguments.length; i += 5) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: fn.arguments.slice(i, i + 5) } }] }));
    }
  });
  events.push(chunk({}, finishReason ?? (calls.length > 0 ? "tool_calls" : "stop")));
  events.push("data: [DONE]\n\n");
  return { headers: { "content-type": "text/event-stream" }, chunks: events };
}

/** The smallest request of the client tests: one user message. */
export const hiMessages = [{ role: "user", content: "hi" }];

/** The smallest successful answer, as a loopback reply plan. */
export const okReply: ReplyPlan = {
  body: {
    id: "1",
    created: 1,
    model: "m",
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "ok" } }],
  },
};
