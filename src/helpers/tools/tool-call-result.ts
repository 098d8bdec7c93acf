// What became of one tool call, and the text that went back to the model for it. Failures are
// results too: the model reads what went wrong and may call again, so the loop never crashes on them.
import type { SchemaIssue } from "../../errors.js";
import type { ChatCompletionsToolCall } from "../../models/chat-completions.js";
import { formatIssues } from "../schemas/schema-issues.js";

/** One tool call of a run, keyed by `outcome`; `output` is the tool message's content the model got. */
export type ToolCallResult = {
  /** The round of the loop, from 1. */
  readonly round: number;
  readonly toolCall: ChatCompletionsToolCall;
  /** The function the model named. */
  readonly name: string;
  /** The text sent back to the model. */
  readonly output: string;
} & (
  | {
      /** The tool ran and returned `value`. */
      readonly outcome: "success";
      /** The arguments as `execute` got them (the schema's output). */
      readonly arguments: unknown;
      readonly value: unknown;
    }
  | {
      /** The arguments were not JSON, or failed the parameters' schema; the tool did not run. */
      readonly outcome: "invalid-arguments";
      readonly issues: readonly SchemaIssue[];
      /** The `SyntaxError` when the arguments were not JSON. */
      readonly cause?: unknown;
    }
  | {
      /** No tool has that name; nothing ran. */
      readonly outcome: "unknown-tool";
    }
  | {
      /** The tool needs approval and `approve(call)` did not give it; the tool did not run. */
      readonly outcome: "refused";
      readonly arguments: unknown;
    }
  | {
      /** The tool threw (or rejected), or its result could not be written as JSON. */
      readonly outcome: "tool-error";
      readonly arguments: unknown;
      readonly error: unknown;
    }
);

/** A tool's return value as the tool message's content: a string as it is, anything else as JSON. */
export function toolOutput(value: unknown): string {
  if (typeof value === "string") return value;
  // undefined (a tool that returns nothing) becomes null, which JSON can say.
  return JSON.stringify(value === undefined ? null : value) ?? "null";
}

export const outputs = {
  notJson: (name: string, error: unknown) =>
    `Error: the arguments of ${name} are not valid JSON (${messageOf(error)}). ` +
    `Call ${name} again with a JSON object that matches its parameters.`,
  invalid: (name: string, issues: readonly SchemaIssue[]) =>
    `Error: the arguments of ${name} do not match its parameters:\n${formatIssues(issues)}\n` +
    `Call ${name} again with corrected arguments.`,
  unknownTool: (name: string, known: readonly string[]) =>
    `Error: there is no tool named ${JSON.stringify(name)}. The tools are: ${known.join(", ")}.`,
  failed: (name: string, error: unknown) => `Error: ${name} failed: ${messageOf(error)}`,
  refused: (name: string) => `Error: this call of ${name} was not approved, so it did not run.`,
  notSerializable: (name: string, error: unknown) =>
    `Error: the result of ${name} could not be written as JSON (${messageOf(error)}).`,
};

function messageOf(error: unknown): string {
  if (error instanceof Error)
    return error.message === ""
      ? error.name
      : `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`;
  return String(error);
}
