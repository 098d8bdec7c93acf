// Message content in the shapes of the conventions' JSON schemas (gen-ai-input-messages.json,
// gen-ai-output-messages.json, gen-ai-tool-definitions.json): each message is `{ role, parts }`,
// each part `text`, `tool_call`, `tool_call_response`, `blob` (inline data) or `uri`. Recorded only
// when content recording is on (docs/tracing.md, privacy).
import { list, plain, read, text } from "./read.js";

type Part = Record<string, unknown>;
interface Message {
  role: string;
  parts: Part[];
  [key: string]: unknown;
}

/** `gen_ai.input.messages` from the request's `messages` (plain wire JSON): system ones included. */
export function inputMessages(messages: unknown): Message[] {
  return list(messages).map((message) => {
    const role = text(read(message, "role")) ?? "user";
    const parts: Part[] = [];
    if (role === "tool") {
      parts.push({
        type: "tool_call_response",
        id: read(message, "tool_call_id") ?? null,
        response: read(message, "content") ?? null,
      });
    } else {
      parts.push(...contentParts(read(message, "content")));
      parts.push(...toolCallParts(read(message, "tool_calls")));
    }
    const out: Message = { role, parts };
    const name = text(read(message, "name"));
    if (name !== undefined) out.name = name;
    return out;
  });
}

/**
 * `gen_ai.output.messages`: one message per choice, with its finish reason (`tool_calls` written
 * `tool_call` as the schema spells it; `error` for a stream that failed before giving one; none
 * when there is none, as for a stream closed before its end).
 */
export function outputMessages(result: unknown, failed = false): Message[] {
  return list(read(result, "choices")).map((choice) => {
    const message = read(choice, "message");
    const reason = text(read(choice, "finish_reason"));
    const calls = toolCallParts(read(message, "tool_calls"));
    // The empty text some services send beside tool calls says nothing.
    const said = contentParts(read(message, "content")).filter((p) => calls.length === 0 || p.content !== "");
    const out: Message = { role: text(read(message, "role")) ?? "assistant", parts: [...said, ...calls] };
    // A choice with no finish reason (a stream closed early) records none: never "".
    const finish = reason === "tool_calls" ? "tool_call" : (reason ?? (failed ? "error" : undefined));
    if (finish !== undefined && finish !== "") out.finish_reason = finish;
    return out;
  });
}

/** `gen_ai.tool.definitions` from the request's `tools`: type, name, description and parameters. */
export function toolDefinitions(tools: unknown): Part[] {
  return list(tools).map((tool) => {
    const fn = read(tool, "function");
    const definition: Part = { type: text(read(tool, "type")) ?? "function" };
    const name = text(read(fn, "name"));
    if (name !== undefined) definition.name = name;
    const description = text(read(fn, "description"));
    if (description !== undefined) definition.description = description;
    const parameters = read(fn, "parameters");
    if (parameters !== undefined) definition.parameters = plain(parameters);
    return definition;
  });
}

function contentParts(content: unknown): Part[] {
  if (typeof content === "string") return [{ type: "text", content }];
  return list(content).map(contentPart);
}

function contentPart(item: unknown): Part {
  const type = text(read(item, "type"));
  if (type === "text") return { type: "text", content: text(read(item, "text")) ?? "" };
  if (type === "image_url") return mediaPart("image", text(read(read(item, "image_url"), "url")));
  if (type === "audio_url") return mediaPart("audio", text(read(read(item, "audio_url"), "url")));
  if (type === "input_audio") {
    const audio = read(item, "input_audio");
    const format = text(read(audio, "format"));
    return {
      type: "blob",
      modality: "audio",
      mime_type: format === undefined ? null : `audio/${format}`,
      content: text(read(audio, "data")) ?? "",
    };
  }
  // A part the conventions have no shape for: kept as sent (their generic part).
  const generic = plain(item);
  return typeof generic === "object" && generic !== null ? (generic as Part) : { type: String(type) };
}

/** A data URL becomes a `blob` part (its base64 bytes), any other URL a `uri` part. */
function mediaPart(modality: "image" | "audio", url: string | undefined): Part {
  const data = url === undefined ? null : /^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  if (data !== null) return { type: "blob", modality, mime_type: data[1] || null, content: data[2] };
  return { type: "uri", modality, uri: url ?? "" };
}

/** `tool_call` parts; arguments parsed when they are JSON, kept as text when not. */
function toolCallParts(toolCalls: unknown): Part[] {
  return list(toolCalls).map((call) => {
    const fn = read(call, "function");
    const args = read(fn, "arguments");
    return {
      type: "tool_call",
      id: text(read(call, "id")) ?? null,
      name: text(read(fn, "name")) ?? "",
      arguments: typeof args === "string" ? parseArguments(args) : (plain(args) ?? null),
    };
  });
}

function parseArguments(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}
