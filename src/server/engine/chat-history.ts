// Engine messages → node-llama-cpp's chat history, which the model's chat wrapper renders with its
// own template. Tool results are attached to the assistant call they answer (matched by id), as
// node-llama-cpp keeps a call and its result together.
import type { ChatHistoryItem, ChatModelFunctionCall, ChatModelResponse } from "node-llama-cpp";
import type { EngineMessage } from "./engine.js";

/** The history to generate from: the conversation, then an empty model turn to fill. */
export function toChatHistory(messages: readonly EngineMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  const callsById = new Map<string, ChatModelFunctionCall>();
  for (const message of messages) {
    switch (message.role) {
      case "system":
      case "developer":
        history.push({ type: "system", text: message.content });
        break;
      case "user":
        history.push({ type: "user", text: message.content });
        break;
      case "assistant": {
        const response: ChatModelResponse["response"] = [];
        if (message.content) response.push(message.content);
        for (const call of message.toolCalls) {
          const item: ChatModelFunctionCall = {
            type: "functionCall",
            name: call.name,
            params: parseJson(call.arguments),
            result: null,
          };
          callsById.set(call.id, item);
          response.push(item);
        }
        history.push({ type: "model", response });
        break;
      }
      case "tool": {
        // chat-request.ts has checked that an earlier assistant message made this call.
        const call = callsById.get(message.toolCallId);
        if (call) call.result = parseJson(message.content);
        break;
      }
    }
  }
  history.push({ type: "model", response: [] });
  return history;
}

/** JSON when it parses, else the text itself. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
