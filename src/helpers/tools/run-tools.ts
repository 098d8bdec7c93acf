// runTools(client, options): the tool-calling loop, plain or streamed.
import type { ChatCompletionsClient, CompleteOptions } from "../../client/chat-completions-client.js";
import { linkAbort } from "../../internal/abort.js";
import { isPlainObject } from "../../models/wire-values.js";
import { prepareTools } from "./prepare-tools.js";
import type { RunToolsOptions, RunToolsResult } from "./run-tools-types.js";
import { type PreparedRun, toolLoop } from "./tool-loop.js";
import { ToolRunStream } from "./tool-run-stream.js";

/** P: the default of `maxRounds`. */
const DEFAULT_MAX_ROUNDS = 10;

/**
 * Lets the model call tools until it answers: asks the model, checks each call's arguments against
 * the tool's parameters, runs the calls (those of one answer concurrently), adds the assistant
 * message and one tool message per call (in call order) to the conversation, and asks again, until
 * the model answers without calls or `maxRounds` requests have been made. Invalid arguments, unknown
 * tools and exceptions go back to the model as the call's result; they never end the run.
 *
 * Every other option (temperature, toolChoice, headers...) is passed to each request. `abortSignal`
 * cancels the run: the request in flight is aborted, running tools get the signal in their
 * context, and the call rejects with `AbortError` at once.
 *
 * With `stream: true` it resolves, once the first response's headers have arrived, to a
 * `ToolRunStream`: the events of the run (each update of each answer, each answer, each tool
 * result) and its `result()`.
 * @example
 * const { content, messages } = await runTools(client, {
 *   messages: [new UserMessage("What is the weather in Paris?")],
 *   tools: [weather],
 * });
 */
export function runTools(
  client: ChatCompletionsClient,
  options: RunToolsOptions & { stream: true },
): Promise<ToolRunStream>;
export function runTools(
  client: ChatCompletionsClient,
  options: RunToolsOptions & { stream?: false },
): Promise<RunToolsResult>;
export function runTools(
  client: ChatCompletionsClient,
  options: RunToolsOptions,
): Promise<RunToolsResult | ToolRunStream>;
export async function runTools(
  client: ChatCompletionsClient,
  options: RunToolsOptions,
): Promise<RunToolsResult | ToolRunStream> {
  if (!isPlainObject(options)) throw new TypeError("runTools() expects an options object.");
  const { tools, maxRounds = DEFAULT_MAX_ROUNDS, stream, messages, abortSignal, ...rest } = options;
  if ((rest as { body?: unknown }).body !== undefined) {
    throw new TypeError('runTools() builds its own requests: "body" cannot be set.');
  }
  if (!Number.isInteger(maxRounds) || maxRounds < 1) {
    throw new RangeError(
      `runTools(): maxRounds must be a whole number of at least 1, got ${String(maxRounds)}.`,
    );
  }
  if (stream !== undefined && typeof stream !== "boolean")
    throw new TypeError("runTools(): stream must be true or false.");
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new TypeError("runTools(): messages must be an array of at least one message.");
  }
  const prepared = await prepareTools(tools);
  // The run's own signal: it follows the caller's, and a streamed run aborts it when closed early.
  const controller = new AbortController();
  const unlink = linkAbort(abortSignal, controller);
  const run: PreparedRun = {
    client,
    call: {
      ...rest,
      tools: [...prepared.values()].map((tool) => tool.definition),
      abortSignal: controller.signal,
    },
    messages,
    tools: prepared,
    maxRounds,
    signal: controller.signal,
  };
  if (stream === true) {
    let first;
    try {
      first = await client.complete({
        ...run.call,
        messages: [...messages],
        stream: true,
      } as CompleteOptions & {
        stream: true;
      });
    } catch (error) {
      unlink();
      throw error;
    }
    return new ToolRunStream(toolLoop(run, first), controller, unlink);
  }
  try {
    const loop = toolLoop(run);
    for (;;) {
      const step = await loop.next();
      if (step.done) return step.value;
    }
  } finally {
    unlink();
  }
}
