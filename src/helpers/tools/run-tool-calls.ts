// Runs the tool calls of one round: all at once (the model asked for them together) unless the
// caller said `parallelToolCalls: false`, results reported as each is ready and kept in the order
// of the calls. A call never rejects: bad arguments, unknown names, refusals and exceptions become
// results the model reads. A call to a tool without `execute` is the caller's: it is left pending.
import type { ChatCompletionsToolCall } from "../../models/chat-completions.js";
import type { PreparedTool } from "./prepare-tools.js";
import type { ToolApprovalRequest, PendingToolCall } from "./run-tools-types.js";
import { type ToolCallResult, outputs, toolOutput } from "./tool-call-result.js";

/** What the calls of a round share. */
export interface RoundContext {
  readonly round: number;
  readonly signal: AbortSignal;
  readonly tools: ReadonlyMap<string, PreparedTool>;
  /** One after another (`parallelToolCalls: false`), else all at once. */
  readonly sequential: boolean;
  readonly approve: ((request: ToolApprovalRequest) => boolean | Promise<boolean>) | undefined;
  /** Told when a call starts and when its result is ready (a streamed run's events). */
  readonly onStart?: (toolCall: ChatCompletionsToolCall, name: string) => void;
  readonly onResult?: (result: ToolCallResult) => void;
  /** Observes one call (its tracing span), when something does. */
  readonly observe?: (toolCall: ChatCompletionsToolCall, name: string) => ToolCallObserver | undefined;
}

/** Sees one tool call through (tracing's `execute_tool` span). */
export interface ToolCallObserver {
  run<T>(work: () => Promise<T>): Promise<T>;
  end(result: ToolCallResult): void;
}

/** The round's results in call order, and the calls left to the caller. */
export interface RoundResults {
  readonly results: ToolCallResult[];
  readonly pending: PendingToolCall[];
}

/** Runs the calls and resolves, once all have settled, to their results in call order. */
export async function runToolCalls(
  calls: readonly ChatCompletionsToolCall[],
  context: RoundContext,
): Promise<RoundResults> {
  const outcomes: (ToolCallResult | PendingToolCall)[] = [];
  const one = async (call: ChatCompletionsToolCall): Promise<ToolCallResult | PendingToolCall> => {
    const name = typeof call.function?.name === "string" ? call.function.name : "";
    context.onStart?.(call, name);
    const observer = context.observe?.(call, name);
    const outcome =
      observer === undefined
        ? await runToolCall(call, name, context)
        : await observer.run(() => runToolCall(call, name, context));
    if ("outcome" in outcome) {
      observer?.end(outcome);
      context.onResult?.(outcome);
    }
    return outcome;
  };
  if (context.sequential) {
    for (const call of calls) {
      if (context.signal.aborted) break;
      outcomes.push(await one(call));
    }
  } else {
    outcomes.push(...(await Promise.all(calls.map(one))));
  }
  return {
    results: outcomes.filter((item): item is ToolCallResult => "outcome" in item),
    pending: outcomes.filter((item): item is PendingToolCall => !("outcome" in item)),
  };
}

async function runToolCall(
  toolCall: ChatCompletionsToolCall,
  name: string,
  context: RoundContext,
): Promise<ToolCallResult | PendingToolCall> {
  const { round, signal, tools } = context;
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
        cause: checked.cause,
        output: outputs.invalid(name, checked.issues),
      };
    }
    args = checked.value;
  }
  const { tool } = prepared;
  const toolContext = { abortSignal: signal, toolCall, round };
  if (tool.execute === undefined) return { toolCall, name, arguments: args, round };
  const needsApproval =
    typeof tool.needsApproval === "function"
      ? await tool.needsApproval(args, toolContext)
      : tool.needsApproval === true;
  if (needsApproval) {
    // Checked before the first request: a tool that may need approval comes with `approve`.
    const approved = await context.approve!({ toolCall, name, arguments: args, round });
    if (approved !== true)
      return { ...base, outcome: "refused", arguments: args, output: outputs.refused(name) };
  }
  let result: unknown;
  try {
    result = await tool.execute(args, toolContext);
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
