// Type-level tests of issue 11, checked by `npm run typecheck` (never run): wire data typed by the
// openai package (a dev dependency) or by a user's own interfaces is accepted wherever the SDK takes
// wire data (M3.6), and `responseFormat` still refuses what no service understands. Each
// `@ts-expect-error` fails the type-check if the line it guards ever compiles.
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from "openai/resources/chat/completions";
import type { ResponseFormatJSONObject, ResponseFormatJSONSchema } from "openai/resources/shared";
import * as z from "zod";
import {
  ChatCompletions,
  type ChatCompletionsClient,
  ChatRequestMessage,
  ChatCompletionsToolDefinition,
  ChatCompletionsNamedToolChoice,
  type ImageEmbeddingsClient,
  JsonSchemaFormat,
  StreamingChatCompletionsUpdate,
  UserMessage,
} from "ai-inference";
import type { ChatCompletionsRouter } from "ai-inference/router";
import { parse } from "ai-inference/structured";
import { defineTool, runTools } from "ai-inference/tools";

declare const client: ChatCompletionsClient;
declare const router: ChatCompletionsRouter;
declare const openaiMessages: ChatCompletionMessageParam[];
declare const openaiTools: ChatCompletionTool[];
declare const openaiToolChoice: ChatCompletionToolChoiceOption;
declare const openaiCompletion: ChatCompletion;
declare const openaiChunk: ChatCompletionChunk;
declare const openaiSchemaFormat: ResponseFormatJSONSchema;
declare const openaiJsonFormat: ResponseFormatJSONObject;

/** A user's own message type: an interface, which has no index signature. */
interface MyMessage {
  role: "user" | "assistant" | "system";
  content: string;
}
interface MyTool {
  type: "function";
  function: { name: string; description?: string; parameters: MySchema };
}
/** An interface-typed JSON Schema, as `@types/json-schema`'s `JSONSchema7` is. */
interface MySchema {
  type: "object";
  properties: Record<string, { type: string }>;
  required?: string[];
}
declare const myMessages: readonly MyMessage[];
declare const myTool: MyTool;
declare const mySchema: MySchema;

export async function wireInputs(): Promise<void> {
  // M3.6: messages, tools and toolChoice typed by openai@6 go straight into complete().
  await client.complete({ messages: openaiMessages, tools: openaiTools, toolChoice: openaiToolChoice });
  await client.complete({ messages: [...openaiMessages, new UserMessage("and?")], stream: true });
  await client.complete({ messages: myMessages, tools: [myTool, new ChatCompletionsToolDefinition()] });
  await client.complete({
    messages: myMessages,
    toolChoice: new ChatCompletionsNamedToolChoice({ function: { name: "f" } }),
  });
  // ...and into fromDict() and the attribute form.
  const message: ChatRequestMessage = ChatRequestMessage.fromDict(openaiMessages[0]);
  const fromMine: ChatRequestMessage = ChatRequestMessage.fromDict(myMessages[0]);
  new ChatCompletionsToolDefinition({ function: { name: "f", parameters: mySchema } });
  new JsonSchemaFormat({ name: "mine", schema: mySchema });
  JsonSchemaFormat.fromSchema(mySchema, { name: "mine" });
  ChatCompletions.fromDict({ id: "x" });
  const answer: ChatCompletions = ChatCompletions.fromDict(openaiCompletion);
  const update: StreamingChatCompletionsUpdate = StreamingChatCompletionsUpdate.fromDict(openaiChunk);
  void [answer, update];
  // @ts-expect-error fromDict takes an object, not text (fromJSON does)
  ChatCompletions.fromDict("{}");
  // @ts-expect-error a message is an object
  await client.complete({ messages: ["hi"] });
  // ...and into the helpers.
  await parse(client, { messages: openaiMessages, responseFormat: { name: "p", schema: mySchema } });
  await runTools(client, {
    messages: myMessages,
    toolChoice: openaiToolChoice,
    tools: [defineTool({ name: "t", parameters: z.object({ a: z.string() }), execute: ({ a }) => a })],
  });
  void [message, fromMine];
}

export async function responseFormats(): Promise<void> {
  // The wire formats, openai's included, and the structured ones compile...
  await client.complete({ messages: myMessages, responseFormat: openaiSchemaFormat });
  await client.complete({ messages: myMessages, responseFormat: openaiJsonFormat });
  await client.complete({ messages: myMessages, responseFormat: { type: "json_object" } });
  await client.complete({
    messages: myMessages,
    responseFormat: { type: "json_schema", json_schema: { name: "p", schema: mySchema, strict: true } },
  });
  await client.complete({ messages: myMessages, responseFormat: { name: "p", schema: mySchema } });
  await client.complete({ messages: myMessages, responseFormat: "json_object" });
  await parse(client, { messages: myMessages, responseFormat: openaiSchemaFormat });
  // ...and a misspelt one does not (it would fail only when sent).
  // @ts-expect-error "nmae" is not "name"
  await client.complete({ messages: myMessages, responseFormat: { nmae: "p", schema: mySchema } });
  // @ts-expect-error "nmae" is not "name", in parse() too
  await parse(client, { messages: myMessages, responseFormat: { nmae: "p", schema: mySchema } });
  // @ts-expect-error "json" is no format type
  await client.complete({ messages: myMessages, responseFormat: { type: "json" } });
  // @ts-expect-error a json_schema format needs its json_schema
  await client.complete({ messages: myMessages, responseFormat: { type: "json_schema" } });
  // @ts-expect-error a bare JSON Schema needs a name: { name, schema }
  await client.complete({ messages: myMessages, responseFormat: mySchema });
  // @ts-expect-error parse() has nothing to check in a text answer
  await parse(client, { messages: myMessages, responseFormat: { type: "text" } });
}

export async function imageInputs(images: ImageEmbeddingsClient): Promise<void> {
  interface MyImage {
    image: string;
  }
  const input: MyImage[] = [{ image: "data:image/png;base64,AA==" }];
  await images.embed({ input });
}

export async function routerInputs(): Promise<void> {
  // The router's complete(), parse() and runTools() take what the client's do (issue 14's router).
  const answer: ChatCompletions = await router.complete({
    messages: openaiMessages,
    tools: openaiTools,
    toolChoice: openaiToolChoice,
    responseFormat: openaiJsonFormat,
    deployment: "east",
  });
  await router.complete({
    messages: [...myMessages, new UserMessage("and?")],
    tools: [myTool],
    stream: true,
  });
  await router.parse({ messages: openaiMessages, responseFormat: { name: "p", schema: mySchema } });
  await router.runTools({
    messages: myMessages,
    toolChoice: openaiToolChoice,
    tools: [defineTool({ name: "t", parameters: z.object({ a: z.string() }), execute: ({ a }) => a })],
  });
  // @ts-expect-error "nmae" is not "name", in the router too
  await router.complete({ messages: myMessages, responseFormat: { nmae: "p", schema: mySchema } });
  // @ts-expect-error usage may be absent
  void answer.usage.totalTokens;
}
