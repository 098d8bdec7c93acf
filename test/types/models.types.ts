// Type-level tests of the model layer, checked by `npm run typecheck` (never run). Each
// `@ts-expect-error` fails the type-check if the line it guards ever compiles.
import {
  ChatChoice,
  ChatCompletions,
  type CompletionsFinishReason,
  ToolMessage,
  UserMessage,
  type Attributes,
} from "ai-inference";

// M3.6: required response fields carry the spec's type; optional ones may be null or undefined.
const completions = ChatCompletions.fromJSON("{}");
const id: string = completions.id;
const created: Date = completions.created;
const reason: CompletionsFinishReason | null = completions.choices[0].finishReason;
const tools = completions.choices[0].message.toolCalls;
// @ts-expect-error toolCalls is optional: it must be checked before use
void tools.length;
void [id, created, reason];

// M3.5: open enums accept any string, and still offer the known members.
const open: CompletionsFinishReason = "max_tokens";
void open;

// M2.1: attributes use typed names, with models or wire objects for model fields and Date | number for dates.
new ChatCompletions({ created: new Date(), choices: [{ index: 0 }, new ChatChoice({ index: 1 })] });
new ChatCompletions({ created: 1_700_000_000 });
// @ts-expect-error an unknown attribute does not compile
new ChatChoice({ bogus: 1 });
// @ts-expect-error wire names are not attributes
new ChatChoice({ finish_reason: "stop" });

// M2.6: positional content.
new UserMessage("hi");
new UserMessage([{ type: "text", text: "hi" }]);
new ToolMessage("42", { toolCallId: "call_1" });
// @ts-expect-error a number is not message content
new UserMessage(42);

// Attributes<T> excludes methods.
type UserAttributes = Attributes<UserMessage>;
// @ts-expect-error asDict is a method, not an attribute
const wrong: UserAttributes = { asDict: () => ({}) };
void wrong;
