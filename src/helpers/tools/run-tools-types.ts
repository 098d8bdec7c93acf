// The options, the result and the events of a tool run.
import type { CompleteOptions } from "../../client/chat-completions-client.js";
import type { ChatCompletions } from "../../models/chat-completions.js";
import type { AssistantMessage, ChatRequestMessage } from "../../models/messages.js";
import type { WireObject } from "../../models/model.js";
import type { StreamingChatCompletionsUpdate } from "../../models/streaming-updates.js";
import type { RunnableTool } from "./define-tool.js";
import type { ToolCallResult } from "./tool-call-result.js";

/**
 * The options of `runTools()`: those of `complete()` (temperature, toolChoice, abortSignal,
 * headers...), passed to every request, with runnable tools instead of tool definitions.
 */
export interface RunToolsOptions extends Omit<CompleteOptions, "tools" | "stream" | "body"> {
  /** The tools the model may call; their definitions are sent with every request. */
  tools: readonly RunnableTool[];
  /** The most requests to the model in one run. @default 10 */
  maxRounds?: number;
  /** Stream each round's answer: `runTools()` then resolves to a `ToolRunStream` of events. */
  stream?: boolean;
}

/** The whole of a finished run. */
export interface RunToolsResult {
  /**
   * The conversation: the messages given (as given), then each round's `AssistantMessage` and one
   * `ToolMessage` per call, and the final answer's `AssistantMessage`. Pass it to another run to go on.
   */
  readonly messages: (ChatRequestMessage | WireObject)[];
  /** The model's answer of each round, oldest first. */
  readonly completions: readonly ChatCompletions[];
  /** The last answer: the final one, or the one whose calls were run in the last allowed round. */
  readonly finalCompletions: ChatCompletions;
  /** The content of the last answer's first choice (`null` when it had none). */
  readonly content: string | null;
  /** How many requests were made. */
  readonly rounds: number;
  /**
   * True when the loop stopped because `maxRounds` requests were made and the last one still asked
   * for tools (they were run, so `messages` can be sent again to go on).
   */
  readonly maxRoundsReached: boolean;
  /** Every tool call of the run, in order. */
  readonly toolResults: readonly ToolCallResult[];
}

/** What a streamed run reports, in order. */
export type ToolRunEvent =
  | {
      /** A chunk of the round's answer, as it arrives. */
      readonly type: "update";
      readonly round: number;
      readonly update: StreamingChatCompletionsUpdate;
    }
  | {
      /** The round's answer, accumulated, and the assistant message added to the conversation. */
      readonly type: "completions";
      readonly round: number;
      readonly completions: ChatCompletions;
      readonly message: AssistantMessage;
    }
  | {
      /** One tool call's result, in call order once the round's calls have all settled. */
      readonly type: "tool-result";
      readonly round: number;
      readonly result: ToolCallResult;
    };
