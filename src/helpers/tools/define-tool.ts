// A tool the loop can run: what the model sees (name, description, parameters) and the function.
import type { ChatCompletionsToolCall } from "../../models/chat-completions.js";
import type { JsonSchemaObject, StandardSchemaV1 } from "../../models/schema-inputs.js";

/** What a tool's `execute` gets besides its arguments. */
export interface ToolContext {
  /** Aborts when the run is cancelled (the caller's `abortSignal`, the stream closed, or the run failed): stop work then. */
  readonly abortSignal: AbortSignal;
  /** The call the model made. */
  readonly toolCall: ChatCompletionsToolCall;
  /** The round of the loop, from 1. */
  readonly round: number;
}

/**
 * A function the model may call. `parameters` is a Zod schema (Zod 4, or Zod 3.25's either API) or
 * a JSON Schema object; the model's arguments are checked against it before `execute` runs, and
 * `execute` receives the schema's output. What `execute` returns (or resolves to) goes back to the
 * model: a string as it is, anything else as JSON. A tool without `execute` is run by the caller:
 * a call to it ends the run with `pendingToolCalls`.
 */
export interface RunnableTool<Args = unknown> {
  /** Letters, digits, `_` and `-`, at most 64 characters; unique among the tools of a run. */
  name: string;
  /** What the tool does, for the model. */
  description?: string;
  /** The arguments' schema. Without it the tool takes no parameters and any JSON object is passed. */
  parameters?: StandardSchemaV1 | JsonSchemaObject;
  /**
   * Ask the service to follow the parameters' schema exactly (OpenAI's strict mode): a Zod schema
   * is made to fit it, a JSON Schema is checked against it (docs/structured-outputs.md).
   */
  strict?: boolean;
  /**
   * Run only once the run's `approve(call)` resolves `true`: always (`true`), or when this
   * function, given the checked arguments, says so. A refusal goes back to the model as the result.
   */
  needsApproval?: boolean | ApprovalCheck<Args>;
  /** Runs the call. Leave it out for a tool the caller runs itself (see `pendingToolCalls`). */
  execute?(args: Args, context: ToolContext): unknown;
}

/** A tool's `needsApproval` function. Declared as a method, so that tools of any arguments fit one list. */
export type ApprovalCheck<Args> = {
  check(args: Args, context: ToolContext): boolean | Promise<boolean>;
}["check"];

/**
 * Types a tool's `execute` from its parameters' schema; at run time it returns the tool unchanged.
 * For a JSON Schema, name the arguments' type: `defineTool<{ city: string }>({ ... })`.
 * @example
 * const weather = defineTool({
 *   name: "get_weather",
 *   description: "The weather in a city",
 *   parameters: z.object({ city: z.string() }),
 *   execute: async ({ city }, { abortSignal }) => fetchWeather(city, { signal: abortSignal }),
 * });
 */
export function defineTool<S extends StandardSchemaV1>(
  tool: Omit<RunnableTool<StandardSchemaV1.InferOutput<S>>, "parameters"> & { parameters: S },
): RunnableTool<StandardSchemaV1.InferOutput<S>>;
export function defineTool<Args = unknown>(
  tool: Omit<RunnableTool<Args>, "parameters"> & { parameters?: JsonSchemaObject },
): RunnableTool<Args>;
export function defineTool(tool: RunnableTool): RunnableTool {
  return tool;
}
