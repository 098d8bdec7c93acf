// Type-level tests of the model layer, checked by `npm run typecheck` (never run). Each
// `@ts-expect-error` fails the type-check if the line it guards ever compiles.
import {
  ChatChoice,
  ChatCompletions,
  type CompletionsFinishReason,
  CompletionsUsage,
  StreamingChatCompletionsUpdate,
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

// Issue 11 (M3.6 as amended): the three fields real answers may lack are optional in the types.
declare const answer: ChatCompletions;
// @ts-expect-error usage may be absent (an accumulated stream on Model Inference endpoints)
void answer.usage.totalTokens;
const total: number | undefined = answer.usage?.totalTokens;
declare const update: StreamingChatCompletionsUpdate;
// @ts-expect-error choices may be absent (a usage-only chunk)
void update.choices[0];
// @ts-expect-error a choice may have no delta
void update.choices?.[0]?.delta.content;
const content: string | null | undefined = update.choices?.[0]?.delta?.content;
// update.text is always a string, and read-only: neither an attribute nor settable.
const text: string = update.text;
// @ts-expect-error text is computed from the choices
update.text = "x";
// @ts-expect-error text is not an attribute
new StreamingChatCompletionsUpdate({ text: "x" });
void [total, content, text];

// Issue 11 (M3.4, M5.3): setters take what they store from, as the attribute form does.
completions.created = 1_700_000_000;
completions.created = new Date();
completions.usage = { total_tokens: 1 };
completions.usage = new CompletionsUsage({ totalTokens: 1 });
completions.usage = undefined;
completions.choices = [{ index: 0 }, new ChatChoice({ index: 1 })];
completions.choices[0].message = { role: "assistant", content: "hi" };
const readonlyChoices: readonly ChatChoice[] = [];
completions.choices = readonlyChoices;
new UserMessage("x").content = [{ type: "text", text: "hi" }];
// @ts-expect-error a date is a Date or seconds
completions.created = "2024-01-01";
// @ts-expect-error usage is an object
completions.usage = 3;
// Getters still return what they hold.
const createdAgain: Date = completions.created;
const choiceList: ChatChoice[] = completions.choices;
void [createdAgain, choiceList];
