// Runs the tool calls of one round: all at once (the model asked for them together), results in
// the order of the calls. A call never rejects: bad arguments, unknown names and exceptions become
// results the model reads.
import type { ChatCompletionsToolCall } from "../../models/chat-completions.js";
import type { PreparedTool } from "./prepare-tools.js";
import { type ToolCallResult, outputs, toolOutput } from "./tool-call-result.js";

/** What the calls of a round share. */
export interface RoundContext {
  readonly round: number;
  readonly signal: AbortSignal;
  readonly tools: ReadonlyMap<string, PreparedTool>;
}

/** Starts every call at once and resolves, when all have settled, to their results in call order. */
export function runToolCalls(
  calls: readonly ChatCompletionsToolCall[],
  context: RoundContext,
): Promise<ToolCallResult[]> {
  return Promise.all(calls.map((call) => runToolCall(call, context)));
}

async function runToolCall(
  toolCall: ChatCompletionsToolCall,
  context: RoundContext,
): Promise<ToolCallResult> {
  const { round, signal, tools } = context;
  const name = typeof toolCall.function?.name === "string" ? toolCall.function.name : "";
  const base = { round, toolCall, name };
  const prepared = tools.get(name);
  if (prepared === undefined || (toolCall.type !== undefined && toolCall.type !== "function")) {
    return { ...base, outcome: "unknown-tool", output: outputs.unknownTool(name, [...tools.keys()]) };
  }
  const text = toolCall.function.arguments;
  let value: unknown;
  try {
    // Some services send "" for a function without parameters.
    value = typeof text !== "string" || text.trim() === "" ? {} : JSON.parse(text);
  } catch (error) {
    return {
      ...base,
      outcome: "invalid-arguments",
      issues: [{ message: `not valid JSON: ${(error as Error).message}`, path: [] }],
      cause: error,
      output: outputs.notJson(name, error),
    };
  }
  let args = value;
  if (prepared.schema !== undefined) {
    const checked = await prepared.schema.check(value);
    if (!checked.ok) {
      return {
        ...base,
        outcome: "invalid-arguments",
        issues: checked.issues,
        output: outputs.invalid(name, checked.issues),
      };
    }
    args = checked.value;
  }
  let result: unknown;
  try {
    result = await prepared.tool.execute(args, { abortSignal: signal, toolCall, round });
  } catch (error) {
    return { ...base, outcome: "tool-error", arguments: args, error, output: outputs.failed(name, error) };
  }
  let output: string;
  try {
    output = toolOutput(result);
  } catch (error) {
    return {
      ...base,
      outcome: "tool-error",
      arguments: args,
      error,
      output: outputs.notSerializable(name, error),
    };
  }
  return { ...base, outcome: "success", arguments: args, value: result, output };
}
