/**
 * ai-inference/tools: the tool-calling loop. Its own subpath, so that the SDK entry never loads it;
 * `client.runTools()` loads it on first use.
 * @module
 */
export { runTools } from "./run-tools.js";
export type {
  PendingToolCall,
  RoundChanges,
  RoundOptions,
  RoundPreparation,
  RoundSummary,
  RunMessage,
  RunToolsOptions,
  RunToolsResult,
  ToolApprovalRequest,
  ToolRunEvent,
  ToolRunProgress,
  ToolRunState,
} from "./run-tools-types.js";
export { ToolRunStream } from "./tool-run-stream.js";
export { defineTool, type RunnableTool, type ToolContext } from "./define-tool.js";
export type { ToolCallResult } from "./tool-call-result.js";
