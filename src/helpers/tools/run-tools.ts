// runTools(client, options): the tool-calling loop, plain or streamed.
import type { ChatCompletionsClient } from "../../client/chat-completions-client.js";
import { type RunObserver, notify, registeredInstrumentation } from "../../client/instrumentation.js";
import { linkAbort } from "../../internal/abort.js";
import type { ChatCompletions } from "../../models/chat-completions.js";
import { isPlainObject } from "../../models/wire-values.js";
import { prepareTools } from "./prepare-tools.js";
import type { RunToolsOptions, RunToolsResult } from "./run-tools-types.js";
import { OPENED, type PreparedRun, toolLoop } from "./tool-loop.js";
import { ToolRunStream } from "./tool-run-stream.js";

/** P: the default of `maxRounds`. */
const DEFAULT_MAX_ROUNDS = 10;
const HOOKS = ["stopWhen", "prepareRound", "onRoundFinish", "approve"] as const;

/**
 * Lets the model call tools until it answers: asks the model, checks each call's arguments against
 * the tool's parameters, runs the calls (those of one answer concurrently, unless
 * `parallelToolCalls: false`), adds the assistant message and one tool message per call (in call
 * order) to the conversation, and asks again, until the model answers without calls, `stopWhen`
 * says stop, a call is left to the caller (a tool without `execute`), or `maxRounds` requests have
 * been made. Invalid arguments, unknown tools, refused approvals and exceptions go back to the
 * model as the call's result; they never end the run.
 *
 * Every other option (temperature, toolChoice, headers...) is passed to each request; a
 * `toolChoice` that forces a call (`"required"`, a named function) applies to the first request
 * only, later ones send `"auto"`. With a structured `responseFormat` the final answer is parsed
 * (`result.parsed`). `abortSignal` cancels the run: the request in flight is aborted, running
 * tools get the signal in their context, and the call rejects with `AbortError` at once. A failed
 * run rejects with an error whose `run` holds the messages, answers and tool results so far.
 *
 * With `stream: true` it resolves, once the first response's headers have arrived, to a
 * `ToolRunStream`: the events of the run (each update of each answer, each answer, each tool
 * call's start and result as they happen) and its `result()`.
 * @example
 * const { content, messages } = await runTools(client, {
 *   messages: [new UserMessage("What is the weather in Paris?")],
 *   tools: [weather],
 * });
 */
export function runTools<T = unknown>(
  client: ChatCompletionsClient,
  options: RunToolsOptions & { stream: true },
): Promise<ToolRunStream<T>>;
export function runTools<T = unknown>(
  client: ChatCompletionsClient,
  options: RunToolsOptions & { stream?: false },
): Promise<RunToolsResult<T>>;
export function runTools<T = unknown>(
  client: ChatCompletionsClient,
  options: RunToolsOptions,
): Promise<RunToolsResult<T> | ToolRunStream<T>>;
export async function runTools(
  client: ChatCompletionsClient,
  options: RunToolsOptions,
): Promise<RunToolsResult | ToolRunStream> {
  if (!isPlainObject(options)) throw new TypeError("runTools() expects an options object.");
  const {
    tools,
    maxRounds = DEFAULT_MAX_ROUNDS,
    stream,
    messages,
    abortSignal,
    stopWhen,
    prepareRound,
    onRoundFinish,
    approve,
    ...rest
  } = options;
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
  const hooks = { stopWhen, prepareRound, onRoundFinish, approve };
  for (const name of HOOKS) {
    if (hooks[name] !== undefined && typeof hooks[name] !== "function") {
      throw new TypeError(`runTools(): ${name} must be a function.`);
    }
  }
  const cache = new WeakMap();
  const prepared = await prepareTools(tools, "runTools(): tools", cache);
  if (approve === undefined) {
    const gated = [...prepared.values()].find(
      (entry) => entry.tool.needsApproval !== undefined && entry.tool.needsApproval !== false,
    );
    if (gated !== undefined) {
      throw new TypeError(
        `runTools(): the tool "${gated.tool.name}" has needsApproval, so the run needs approve(call).`,
      );
    }
  }
  const parse = await finalParser(rest.responseFormat);
  // The run's own signal: it follows the caller's, and a streamed run aborts it when closed early.
  const controller = new AbortController();
  const unlink = linkAbort(abortSignal, controller);
  const observer = startRun(tools, rest.model);
  const run: PreparedRun = {
    client,
    call: { ...rest, abortSignal: controller.signal },
    messages,
    tools,
    prepared,
    cache,
    maxRounds,
    stream: stream === true,
    controller,
    hooks,
    parse,
    observer,
  };
  const loop = toolLoop(run);
  const finish = (outcome: RunToolsResult | undefined, error?: unknown) => {
    unlink();
    if (observer === undefined) return;
    const end =
      outcome === undefined
        ? ({ outcome: "error", error } as const)
        : ({ outcome: "success", usage: outcome.usage } as const);
    notify(observer.end, observer, end);
  };
  if (stream === true) {
    try {
      const first = await loop.next();
      if (first.done || first.value !== OPENED)
        throw new TypeError("runTools(): the run did not open a stream.");
    } catch (error) {
      finish(undefined, error);
      throw error;
    }
    return new ToolRunStream(loop, controller, finish);
  }
  try {
    for (;;) {
      const step = await loop.next();
      if (step.done) {
        finish(step.value);
        return step.value;
      }
    }
  } catch (error) {
    finish(undefined, error);
    throw error;
  }
}

/** The parser of the final answer when `responseFormat` asks for structured output, loaded then. */
async function finalParser(
  responseFormat: unknown,
): Promise<((completions: ChatCompletions) => Promise<ChatCompletions>) | undefined> {
  if (responseFormat === undefined || responseFormat === null || responseFormat === "text") return undefined;
  if (isPlainObject(responseFormat) && responseFormat.type === "text") return undefined;
  if ((responseFormat as { type?: unknown }).type === "text") return undefined;
  // The same module as the user's "ai-inference/structured", so that parsed messages are its class.
  const structured = await import("#helpers/structured");
  return (completions) => structured.parseChatCompletions(completions, responseFormat as never);
}

/** The registered instrumentation's observer of this run, if it has one. */
function startRun(tools: RunToolsOptions["tools"], model: unknown): RunObserver | undefined {
  const instrumentation = registeredInstrumentation();
  if (instrumentation?.startRun === undefined) return undefined;
  try {
    return instrumentation.startRun({
      operation: "invoke_agent",
      tools: tools.map((tool) => tool.name),
      model: typeof model === "string" ? model : undefined,
    });
  } catch {
    return undefined; // an instrumentation's failure never fails the run
  }
}
