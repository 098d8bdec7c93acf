// Turns every choice of an answer into a value of the schema, or throws the error that says why not:
// refused, cut at the token limit, not JSON, or not valid for the schema.
import {
  StructuredOutputJsonError,
  StructuredOutputLengthError,
  StructuredOutputRefusalError,
  StructuredOutputSchemaError,
} from "../../errors.js";
import type { ChatCompletions } from "../../models/chat-completions.js";
import { formatIssues } from "../schemas/schema-issues.js";
import { ParsedChatResponseMessage, type ParsedChatCompletions } from "./parsed-message.js";
import type { ResponseSchema } from "./response-schema.js";

const MAX_QUOTED = 200;

/**
 * Parses each choice's content in place: its message becomes a `ParsedChatResponseMessage`. A
 * choice without content whose message has tool calls parses to `null` (the model called tools
 * instead of answering). Throws at the first choice that fails.
 */
export async function parseChoices<T>(
  completions: ChatCompletions,
  schema: ResponseSchema,
): Promise<ParsedChatCompletions<T>> {
  const choices = Array.isArray(completions.choices) ? completions.choices : [];
  for (let choiceIndex = 0; choiceIndex < choices.length; choiceIndex++) {
    const choice = choices[choiceIndex];
    const message = choice.message;
    const init = { completions, choiceIndex };
    const where = choices.length > 1 ? `Choice ${choiceIndex}: the` : "The";
    const refusal = message?.get("refusal");
    if (typeof refusal === "string" && refusal !== "") {
      throw new StructuredOutputRefusalError(`${where} model refused: ${quote(refusal)}`, {
        ...init,
        refusal,
      });
    }
    if (choice.finishReason === "length") {
      throw new StructuredOutputLengthError(
        `${where} answer was cut at the token limit (finish_reason "length"), so its JSON is incomplete; ` +
          "allow more tokens (maxTokens). The raw text is on error.content.",
        init,
      );
    }
    const content = message?.content;
    if (typeof content !== "string") {
      if (Array.isArray(message?.toolCalls) && message.toolCalls.length > 0) {
        choice.message = ParsedChatResponseMessage.of<T>(message, null);
        continue;
      }
      const reason = choice.finishReason ? ` (finish_reason "${choice.finishReason}")` : "";
      throw new StructuredOutputJsonError(`${where} answer has no content to parse${reason}.`, init);
    }
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch (error) {
      throw new StructuredOutputJsonError(
        `${where} answer is not valid JSON (${(error as Error).message}): ${quote(content)}`,
        { ...init, cause: error },
      );
    }
    let parsed = value;
    if (schema.check !== undefined) {
      const result = await schema.check(value);
      if (!result.ok) {
        const named = schema.name === undefined ? "the schema" : `the schema "${schema.name}"`;
        throw new StructuredOutputSchemaError(
          `${where} answer does not match ${named}:\n${formatIssues(result.issues)}`,
          { ...init, issues: result.issues, value, cause: result.cause },
        );
      }
      parsed = result.value;
    }
    choice.message = ParsedChatResponseMessage.of(message, parsed as T);
  }
  return completions as ParsedChatCompletions<T>;
}

function quote(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text);
}
