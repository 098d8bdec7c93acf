// `messages` of a chat request → engine messages. Every 400 names the message's index (S1.4).
import { ChatRole } from "../../models/enums.js";
import type { EngineMessage, EngineToolCall } from "../engine/engine.js";
import { badRequest, unsupported } from "../http-error.js";
import { type JsonObject, isJsonObject, optionalArray, optionalString, own, wrongType } from "./fields.js";

const knownRoles: ReadonlySet<string> = new Set(Object.values(ChatRole));

/** Validates `messages` (at least one) and normalises each message. */
export function readMessages(body: JsonObject): EngineMessage[] {
  const messages = own(body, "messages");
  if (messages === undefined)
    throw badRequest("'messages' is required: a non-empty array of messages.", "messages");
  if (!Array.isArray(messages)) return wrongType("messages", "an array", messages);
  if (messages.length === 0) throw badRequest("'messages' must hold at least one message.", "messages");
  const toolCallIds = new Set<string>();
  return messages.map((message: unknown, index) => {
    const param = `messages[${index}]`;
    if (!isJsonObject(message)) return wrongType(param, "an object", message);
    const read = readMessage(message, param);
    if (read.role === "assistant") for (const call of read.toolCalls) toolCallIds.add(call.id);
    if (read.role === "tool" && !toolCallIds.has(read.toolCallId)) {
      throw badRequest(
        `${param}.tool_call_id '${read.toolCallId}' answers no tool call of an earlier assistant message.`,
        `${param}.tool_call_id`,
      );
    }
    return read;
  });
}

function readMessage(message: JsonObject, param: string): EngineMessage {
  const role = own(message, "role");
  if (role === undefined) throw badRequest(`${param} has no 'role'.`, `${param}.role`);
  if (typeof role !== "string" || !knownRoles.has(role)) {
    throw badRequest(
      `${param}.role must be one of ${[...knownRoles].join(", ")}, not ${JSON.stringify(role)}.`,
      `${param}.role`,
    );
  }
  const name = optionalString(message, "name", `${param}.name`);
  const named = name === undefined ? {} : { name };
  switch (role) {
    case "system":
    case "developer":
    case "user":
      return { role, content: readContent(message, param, true) ?? "", ...named };
    case "assistant": {
      const content = readContent(message, param, false);
      const toolCalls = readToolCalls(message, param);
      if (content === null && toolCalls.length === 0) {
        throw badRequest(`${param} (assistant) needs 'content' or 'tool_calls'.`, `${param}.content`);
      }
      return { role, content, toolCalls, ...named };
    }
    default: {
      const toolCallId = optionalString(message, "tool_call_id", `${param}.tool_call_id`);
      if (toolCallId === undefined) {
        throw badRequest(`${param} (tool) needs 'tool_call_id'.`, `${param}.tool_call_id`);
      }
      return { role: "tool", content: readContent(message, param, true) ?? "", toolCallId };
    }
  }
}

/** A string, or an array of text parts joined by newlines; other parts (images, audio) are refused. */
function readContent(message: JsonObject, param: string, required: boolean): string | null {
  const content = own(message, "content");
  const at = `${param}.content`;
  if (content === undefined) {
    if (required) throw badRequest(`${param} has no 'content'.`, at);
    return null;
  }
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return wrongType(at, "a string or an array of content parts", content);
  const texts = content.map((part: unknown, index) => {
    const partParam = `${at}[${index}]`;
    if (!isJsonObject(part)) return wrongType(partParam, "an object", part);
    const type = own(part, "type");
    if (type === "text" || type === "refusal") {
      const key = type === "text" ? "text" : "refusal";
      const text = own(part, key);
      if (typeof text !== "string") return wrongType(`${partParam}.${key}`, "a string", text);
      return text;
    }
    if (typeof type !== "string") throw badRequest(`${partParam} has no 'type'.`, `${partParam}.type`);
    throw unsupported(
      `${partParam}: content of type '${type}' is not supported; this model reads text only.`,
      partParam,
    );
  });
  return texts.join("\n");
}

function readToolCalls(message: JsonObject, param: string): EngineToolCall[] {
  const calls = optionalArray(message, "tool_calls", `${param}.tool_calls`) ?? [];
  return calls.map((call, index) => {
    const at = `${param}.tool_calls[${index}]`;
    if (!isJsonObject(call)) return wrongType(at, "an object", call);
    const id = optionalString(call, "id", `${at}.id`);
    if (id === undefined) throw badRequest(`${at} has no 'id'.`, `${at}.id`);
    const type = optionalString(call, "type", `${at}.type`) ?? "function";
    if (type !== "function") throw badRequest(`${at}.type must be 'function', not '${type}'.`, `${at}.type`);
    const fn = own(call, "function");
    if (!isJsonObject(fn)) return wrongType(`${at}.function`, "an object", fn);
    const name = optionalString(fn, "name", `${at}.function.name`);
    if (!name) throw badRequest(`${at}.function has no 'name'.`, `${at}.function.name`);
    const args = optionalString(fn, "arguments", `${at}.function.arguments`) ?? "{}";
    return { id, name, arguments: args };
  });
}
