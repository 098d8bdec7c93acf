// The loop itself, one generator for both the plain and the streamed run so that both follow the
// same rules: ask the model, run the calls it makes, add the assistant and tool messages, repeat
// until it answers without calls or `maxRounds` requests have been made.
import type { ChatCompletionsClient, CompleteOptions } from "../../client/chat-completions-client.js";
import { AbortError } from "../../errors.js";
import type { ChatCompletions, ChatResponseMessage } from "../../models/chat-completions.js";
import { AssistantMessage, type ChatRequestMessage, ToolMessage } from "../../models/messages.js";
import type { WireObject } from "../../models/model.js";
import type { StreamingChatCompletions } from "../../streaming/stream.js";
import type { PreparedTool } from "./prepare-tools.js";
import { runToolCalls } from "./run-tool-calls.js";
import type { RunToolsResult, ToolRunEvent } from "./run-tools-types.js";
import type { ToolCallResult } from "./tool-call-result.js";

/** A run checked and ready: what each request carries besides the conversation. */
export interface PreparedRun {
  readonly client: ChatCompletionsClient;
  /** The caller's options less tools, maxRounds, stream and messages; abortSignal is the run's own. */
  readonly call: Omit<CompleteOptions, "messages">;
  readonly messages: readonly (ChatRequestMessage | WireObject)[];
  readonly tools: ReadonlyMap<string, PreparedTool>;
  readonly maxRounds: number;
  /** Aborts with the caller's signal and when a streamed run is closed. Tools get it. */
  readonly signal: AbortSignal;
}

/**
 * Runs the loop, yielding events (updates only when streaming) and returning the result. A
 * streamed run's first request is already open (`first`), so that `runTools()` reports a failed
 * first request itself.
 */
export async function* toolLoop(
  run: PreparedRun,
  first?: StreamingChatCompletions,
): AsyncGenerator<ToolRunEvent, RunToolsResult, undefined> {
  const messages = [...run.messages];
  const completions: ChatCompletions[] = [];
  const toolResults: ToolCallResult[] = [];
  const streaming = first !== undefined;
  for (let round = 1; round <= run.maxRounds; round++) {
    let answer: ChatCompletions;
    if (streaming) {
      const stream =
        round === 1
          ? first
          : await run.client.complete({ ...run.call, messages: [...messages], stream: true });
      for await (const update of stream) yield { type: "update", round, update };
      answer = await stream.finalChatCompletions();
    } else {
      answer = await run.client.complete({ ...run.call, messages: [...messages] } as CompleteOptions & {
        stream?: false;
      });
    }
    completions.push(answer);
    const reply = Array.isArray(answer.choices) ? answer.choices[0]?.message : undefined;
    const calls = Array.isArray(reply?.toolCalls) ? reply.toolCalls : [];
    const assistant = echo(reply, calls.length > 0);
    messages.push(assistant);
    yield { type: "completions", round, completions: answer, message: assistant };
    if (calls.length === 0) return result(false);
    const results = await untilAborted(
      runToolCalls(calls, { round, signal: run.signal, tools: run.tools }),
      run.signal,
    );
    for (const outcome of results) {
      messages.push(new ToolMessage(outcome.output, { toolCallId: outcome.toolCall.id }));
      toolResults.push(outcome);
      yield { type: "tool-result", round, result: outcome };
    }
  }
  return result(true);

  function result(maxRoundsReached: boolean): RunToolsResult {
    const last = completions[completions.length - 1];
    const content = Array.isArray(last.choices) ? last.choices[0]?.message?.content : undefined;
    return {
      messages,
      completions,
      finalCompletions: last,
      content: typeof content === "string" ? content : null,
      rounds: completions.length,
      maxRoundsReached,
      toolResults,
    };
  }
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
