// The options, the result and the events of a tool run.
import type { CompleteOptions } from "../../client/chat-completions-client.js";
import type {
  ChatCompletions,
  ChatCompletionsToolCall,
  CompletionsUsage,
} from "../../models/chat-completions.js";
import type { AssistantMessage, ChatRequestMessage } from "../../models/messages.js";
import type { WireObject } from "../../models/model.js";
import type { StreamingChatCompletionsUpdate } from "../../models/streaming-updates.js";
import type { RunnableTool } from "./define-tool.js";
import type { ToolCallResult } from "./tool-call-result.js";

/** A message of the conversation, as the run keeps it. */
export type RunMessage = ChatRequestMessage | WireObject;

/** The request options a round may change: every option of `complete()` but the conversation and the stream. */
export type RoundOptions = Omit<CompleteOptions, "messages" | "tools" | "stream" | "body">;

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
  /**
   * Checked after each round whose tools ran: `true` ends the run there (`result.stoppedBy` is
   * `"stopWhen"`), with the conversation ready to be sent again.
   */
  stopWhen?: (run: ToolRunState) => boolean | Promise<boolean>;
  /**
   * Called before each request (round 1 included): what it returns changes that request only:
   * the tools offered, `toolChoice`, the messages sent, or other options.
   */
  prepareRound?: (
    round: RoundPreparation,
  ) => RoundChanges | undefined | void | Promise<RoundChanges | undefined | void>;
  /** Called when a round is done: its answer, its tool results, its usage. */
  onRoundFinish?: (round: RoundSummary) => void | Promise<void>;
  /**
   * Asked before a tool with `needsApproval` runs; `true` runs it, anything else refuses it (the
   * model reads the refusal as the call's result). Required when a tool has `needsApproval`.
   */
  approve?: (call: ToolApprovalRequest) => boolean | Promise<boolean>;
}

/** The run so far, as `stopWhen` sees it. */
export interface ToolRunState {
  /** The round just finished, from 1. */
  readonly round: number;
  readonly messages: readonly RunMessage[];
  readonly completions: readonly ChatCompletions[];
  readonly toolResults: readonly ToolCallResult[];
  /** Summed over the rounds so far; `undefined` when an answer came without usage. */
  readonly usage: CompletionsUsage | undefined;
}

/** What `prepareRound` sees: the round about to be asked, and what its request would carry. */
export interface RoundPreparation {
  /** From 1. */
  readonly round: number;
  /** The conversation so far (not a copy: do not change it; return `messages` instead). */
  readonly messages: readonly RunMessage[];
  /** The tools the request would offer. */
  readonly tools: readonly RunnableTool[];
  /** The `toolChoice` the request would send (the caller's in round 1, `auto` after a forced one). */
  readonly toolChoice: CompleteOptions["toolChoice"];
  readonly completions: readonly ChatCompletions[];
}

/** What `prepareRound` may change for one request. */
export interface RoundChanges {
  /** The tools offered in this round (any tools: calls are run against this set). */
  readonly tools?: readonly RunnableTool[];
  readonly toolChoice?: CompleteOptions["toolChoice"];
  /** The messages sent in this round, instead of the conversation (which itself stays whole). */
  readonly messages?: readonly RunMessage[];
  /** Other options for this request, over the run's. */
  readonly options?: Partial<RoundOptions>;
}

/** What `onRoundFinish` gets. */
export interface RoundSummary {
  readonly round: number;
  readonly completions: ChatCompletions;
  /** The assistant message added to the conversation. */
  readonly message: AssistantMessage;
  /** This round's tool results, in call order (empty for the final answer). */
  readonly toolResults: readonly ToolCallResult[];
  /** This round's calls to tools without `execute`. */
  readonly pendingToolCalls: readonly PendingToolCall[];
  /** This round's usage, as the service reported it. */
  readonly usage: CompletionsUsage | undefined;
}

/** A call to a tool that needs approval, as `approve` sees it. */
export interface ToolApprovalRequest {
  readonly toolCall: ChatCompletionsToolCall;
  readonly name: string;
  /** The checked arguments (the schema's output). */
  readonly arguments: unknown;
  readonly round: number;
}

/** A call to a tool without `execute`: the caller runs it and appends a `ToolMessage` for it. */
export interface PendingToolCall {
  readonly toolCall: ChatCompletionsToolCall;
  readonly name: string;
  /** The checked arguments (the schema's output). */
  readonly arguments: unknown;
  readonly round: number;
}

/** The whole of a finished run. */
export interface RunToolsResult<T = unknown> {
  /**
   * The conversation: the messages given (as given), then each round's `AssistantMessage` and one
   * `ToolMessage` per call that ran, and the final answer's `AssistantMessage`. Pass it to another
   * run to go on (after appending a `ToolMessage` per pending call, when there are some).
   */
  readonly messages: RunMessage[];
  /** The model's answer of each round, oldest first. */
  readonly completions: readonly ChatCompletions[];
  /** The last answer: the final one, or the one whose calls were run in the last round. */
  readonly finalCompletions: ChatCompletions;
  /** The content of the last answer's first choice (`null` when it had none). */
  readonly content: string | null;
  /**
   * With a structured `responseFormat`: the final answer's content, parsed and validated as
   * `parse()` does (`null` when the run ended on tool calls). `undefined` without one.
   */
  readonly parsed: T | null | undefined;
  /** How many requests were made. */
  readonly rounds: number;
  /**
   * True when the loop stopped because `maxRounds` requests were made and the last one still asked
   * for tools (they were run, so `messages` can be sent again to go on).
   */
  readonly maxRoundsReached: boolean;
  /** Why the run ended: the model answered, `maxRounds`, `stopWhen`, or calls left to the caller. */
  readonly stoppedBy: "answer" | "maxRounds" | "stopWhen" | "pendingToolCalls";
  /** Every tool call that ran (or failed), in order. */
  readonly toolResults: readonly ToolCallResult[];
  /** The calls to tools without `execute` that ended the run: run them, append their results, send again. */
  readonly pendingToolCalls: readonly PendingToolCall[];
  /** Summed over every request of the run; `undefined` when any answer came without usage. */
  readonly usage: CompletionsUsage | undefined;
}

/** What a failed run had done: on the error's `run` property. */
export interface ToolRunProgress {
  readonly messages: readonly RunMessage[];
  readonly completions: readonly ChatCompletions[];
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
      /** A tool call begins (its arguments are checked, then it runs). */
      readonly type: "tool-call";
      readonly round: number;
      readonly toolCall: ChatCompletionsToolCall;
      readonly name: string;
    }
  | {
      /** One tool call's result, as soon as it is ready (the conversation keeps call order). */
      readonly type: "tool-result";
      readonly round: number;
      readonly result: ToolCallResult;
    };
