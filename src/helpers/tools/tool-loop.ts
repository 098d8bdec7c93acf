// The loop itself, one generator for both the plain and the streamed run so that both follow the
// same rules: ask the model, run the calls it makes, add the assistant and tool messages, repeat
// until it answers without calls, `stopWhen` says so, a call is left to the caller, or `maxRounds`
// requests have been made.
import type { ChatCompletionsClient, CompleteOptions } from "../../client/chat-completions-client.js";
import type { RunObserver } from "../../client/instrumentation.js";
import { AbortError } from "../../errors.js";
import {
  type ChatCompletions,
  type ChatResponseMessage,
  CompletionsUsage,
} from "../../models/chat-completions.js";
import { AssistantMessage, ToolMessage } from "../../models/messages.js";
import type { WireObject } from "../../models/model.js";
import type { StreamingChatCompletions } from "../../streaming/stream.js";
import type { RunnableTool } from "./define-tool.js";
import { type PreparedTool, prepareTools } from "./prepare-tools.js";
import { runToolCalls } from "./run-tool-calls.js";
import type {
  PendingToolCall,
  RoundChanges,
  RoundOptions,
  RunMessage,
  RunToolsOptions,
  RunToolsResult,
  ToolRunEvent,
  ToolRunProgress,
} from "./run-tools-types.js";
import type { ToolCallResult } from "./tool-call-result.js";

/** A run checked and ready: what each request carries besides the conversation. */
export interface PreparedRun {
  readonly client: ChatCompletionsClient;
  /** The caller's request options; abortSignal is the run's own. */
  readonly call: RoundOptions;
  readonly messages: readonly RunMessage[];
  readonly tools: readonly RunnableTool[];
  readonly prepared: ReadonlyMap<string, PreparedTool>;
  /** Tools prepared so far, so that a `prepareRound` swapping tools in prepares each once. */
  readonly cache: WeakMap<RunnableTool, PreparedTool>;
  readonly maxRounds: number;
  readonly stream: boolean;
  /** Aborted with the caller's signal, when a streamed run is closed, and when the run fails. */
  readonly controller: AbortController;
  readonly hooks: Pick<RunToolsOptions, "stopWhen" | "prepareRound" | "onRoundFinish" | "approve">;
  /** Parses the final answer when `responseFormat` is structured. */
  readonly parse: ((completions: ChatCompletions) => Promise<ChatCompletions>) | undefined;
  /** The run's tracing, when something observes runs. */
  readonly observer: RunObserver | undefined;
}

/** Told to `runTools()` once a streamed run's first response has arrived; never reaches the caller. */
export const OPENED = { type: "opened" } as const;
export type LoopEvent = ToolRunEvent | typeof OPENED;

/**
 * Runs the loop, yielding events (updates only when streaming) and returning the result. A
 * streamed run yields `OPENED` once its first response's headers have arrived, so that
 * `runTools()` reports a failed first request itself. A failure aborts what is still running and
 * carries what the run had done on the error's `run`.
 */
export async function* toolLoop(run: PreparedRun): AsyncGenerator<LoopEvent, RunToolsResult, undefined> {
  const messages: RunMessage[] = [...run.messages];
  const completions: ChatCompletions[] = [];
  const toolResults: ToolCallResult[] = [];
  const signal = run.controller.signal;
  let usage: CompletionsUsage | undefined;
  let usageKnown = true;
  const forced = isForcing(run.call.toolChoice);
  try {
    for (let round = 1; round <= run.maxRounds; round++) {
      const choice = round > 1 && forced ? "auto" : run.call.toolChoice;
      let tools = run.tools;
      let prepared = run.prepared;
      let changes: RoundChanges | undefined;
      if (run.hooks.prepareRound !== undefined) {
        changes =
          (await run.hooks.prepareRound({ round, messages, tools, toolChoice: choice, completions })) ??
          undefined;
        if (changes?.tools !== undefined) {
          tools = changes.tools;
          prepared = await prepareTools(tools, `prepareRound(): round ${round}: tools`, run.cache);
        }
      }
      const request = {
        ...run.call,
        ...changes?.options,
        toolChoice: changes !== undefined && "toolChoice" in changes ? changes.toolChoice : choice,
        tools: [...prepared.values()].map((tool) => tool.definition),
        messages: [...(changes?.messages ?? messages)],
        abortSignal: signal,
      };
      let answer: ChatCompletions;
      if (run.stream) {
        const opened = await observed(run, () =>
          // A streamed run asks for usage (result.usage) unless the caller said otherwise; on a Model
          // Inference endpoint this also sends `extra-parameters: pass-through` (P5.6).
          run.client.complete({
            ...request,
            stream: true,
            includeUsage: (request as CompleteOptions).includeUsage ?? true,
          } as CompleteOptions & {
            stream: true;
          }),
        );
        if (round === 1) yield OPENED;
        for await (const update of opened as StreamingChatCompletions)
          yield { type: "update", round, update };
        answer = await (opened as StreamingChatCompletions).finalChatCompletions();
      } else {
        answer = await observed(run, () =>
          run.client.complete(request as CompleteOptions & { stream?: false }),
        );
      }
      completions.push(answer);
      const roundUsage = answer.usage ?? undefined;
      if (roundUsage === undefined) usageKnown = false;
      else usage = addUsage(usage, roundUsage);

      const reply = Array.isArray(answer.choices) ? answer.choices[0]?.message : undefined;
      const calls = Array.isArray(reply?.toolCalls) ? reply.toolCalls : [];
      const assistant = echo(reply, calls.length > 0);
      messages.push(assistant);
      yield { type: "completions", round, completions: answer, message: assistant };
      if (calls.length === 0) {
        await run.hooks.onRoundFinish?.({
          round,
          completions: answer,
          message: assistant,
          toolResults: [],
          pendingToolCalls: [],
          usage: roundUsage,
        });
        const parsed = run.parse === undefined ? undefined : await run.parse(answer);
        return result("answer", [], parsed);
      }

      const events: ToolRunEvent[] = [];
      let wake: (() => void) | undefined;
      const push = (event: ToolRunEvent) => {
        events.push(event);
        wake?.();
      };
      const work = runToolCalls(calls, {
        round,
        signal,
        tools: prepared,
        sequential: request.parallelToolCalls === false,
        approve: run.hooks.approve,
        onStart: run.stream
          ? (toolCall, name) => push({ type: "tool-call", round, toolCall, name })
          : undefined,
        onResult: run.stream ? (outcome) => push({ type: "tool-result", round, result: outcome }) : undefined,
        observe:
          run.observer?.startTool === undefined
            ? undefined
            : (toolCall, name) => startToolSpan(run.observer!, toolCall, name, round),
      });
      let settled = false;
      const done = untilAborted(work, signal).finally(() => {
        settled = true;
        wake?.();
      });
      done.catch(() => {}); // read below
      // Tool events are reported as they happen, while the round's calls run.
      while (!settled || events.length > 0) {
        if (events.length > 0) {
          yield events.shift()!;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      const { results, pending } = await done;
      for (const outcome of results) {
        messages.push(new ToolMessage(outcome.output, { toolCallId: outcome.toolCall.id }));
        toolResults.push(outcome);
      }
      await run.hooks.onRoundFinish?.({
        round,
        completions: answer,
        message: assistant,
        toolResults: results,
        pendingToolCalls: pending,
        usage: roundUsage,
      });
      if (pending.length > 0) return result("pendingToolCalls", pending, undefined);
      if (run.hooks.stopWhen !== undefined) {
        const stop = await run.hooks.stopWhen({
          round,
          messages,
          completions,
          toolResults,
          usage: usageKnown ? usage : undefined,
        });
        if (stop === true) return result("stopWhen", [], undefined);
      }
    }
    return result("maxRounds", [], undefined);
  } catch (error) {
    // Siblings still running get the abort; the caller gets what the run had done.
    if (!signal.aborted) run.controller.abort(error);
    throw withProgress(error, {
      messages: [...messages],
      completions: [...completions],
      toolResults: [...toolResults],
    });
  }

  function result(
    stoppedBy: RunToolsResult["stoppedBy"],
    pendingToolCalls: PendingToolCall[],
    parsedCompletions: ChatCompletions | undefined,
  ): RunToolsResult {
    const last = completions[completions.length - 1];
    const content = Array.isArray(last.choices) ? last.choices[0]?.message?.content : undefined;
    const parsed =
      run.parse === undefined
        ? undefined
        : parsedCompletions === undefined
          ? null
          : ((parsedCompletions.choices[0]?.message as { parsed?: unknown } | undefined)?.parsed ?? null);
    return {
      messages,
      completions,
      finalCompletions: parsedCompletions ?? last,
      content: typeof content === "string" ? content : null,
      parsed,
      rounds: completions.length,
      maxRoundsReached: stoppedBy === "maxRounds",
      stoppedBy,
      toolResults,
      pendingToolCalls,
      usage: usageKnown ? usage : undefined,
    };
  }
}

/** A named function or `"required"` makes the model call a tool: such a choice holds for round 1 only. */
function isForcing(choice: unknown): boolean {
  return choice === "required" || (typeof choice === "object" && choice !== null);
}

function observed<T>(run: PreparedRun, request: () => Promise<T>): Promise<T> {
  return run.observer === undefined ? request() : run.observer.wrap(request);
}

function startToolSpan(observer: RunObserver, toolCall: ChatResponseToolCall, name: string, round: number) {
  const tool = observer.startTool?.({
    name,
    id: typeof toolCall.id === "string" ? toolCall.id : undefined,
    arguments: typeof toolCall.function?.arguments === "string" ? toolCall.function.arguments : undefined,
    round,
  });
  if (tool === undefined) return undefined;
  return {
    run: <T>(work: () => Promise<T>) => tool.wrap(work),
    end: (outcome: ToolCallResult) =>
      tool.end({
        outcome: outcome.outcome,
        output: outcome.output,
        error: outcome.outcome === "tool-error" ? outcome.error : undefined,
      }),
  };
}

type ChatResponseToolCall = Parameters<NonNullable<Parameters<typeof runToolCalls>[1]["onStart"]>>[0];

function addUsage(total: CompletionsUsage | undefined, usage: CompletionsUsage): CompletionsUsage {
  const sum = (a: unknown, b: unknown) => (typeof a === "number" ? a : 0) + (typeof b === "number" ? b : 0);
  return new CompletionsUsage({
    promptTokens: sum(total?.promptTokens, usage.promptTokens),
    completionTokens: sum(total?.completionTokens, usage.completionTokens),
    totalTokens: sum(total?.totalTokens, usage.totalTokens),
  });
}

/** The error, with `run` telling what the run had done (when the error can carry it). */
function withProgress(error: unknown, progress: ToolRunProgress): unknown {
  if (typeof error === "object" && error !== null && Object.isExtensible(error) && !("run" in error)) {
    Object.defineProperty(error, "run", {
      value: progress,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  return error;
}

/**
 * The assistant message that goes back into the conversation: the calls in the wire form the
 * service sent (extras such as Mistral's `call_id` kept), and the content when it says something.
 * An empty content beside tool calls is left out, as the reference's samples do; other response
 * keys (`refusal`, `reasoning_content`) are not request fields and stay out.
 */
function echo(reply: ChatResponseMessage | undefined, hasCalls: boolean): AssistantMessage {
  const wire: WireObject = { role: "assistant" };
  const content = reply?.content;
  if ((typeof content === "string" && content !== "") || !hasCalls) wire.content = content ?? null;
  if (hasCalls) wire.tool_calls = reply!.toolCalls!.map((call) => call.asDict());
  return AssistantMessage.fromDict(wire) as AssistantMessage;
}

/** Waits for the tools, but not past an abort: they got the signal, the run ends now. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(aborted(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function aborted(signal: AbortSignal): AbortError {
  return new AbortError("The tool run was aborted.", { cause: signal.reason });
}
