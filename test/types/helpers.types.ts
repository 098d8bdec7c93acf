// Type-level tests of ai-inference/structured and ai-inference/tools, checked by `npm run typecheck`
// (never run). Each `@ts-expect-error` fails the type-check if the line it guards ever compiles.
import * as z from "zod";
import type { ChatCompletionsClient } from "ai-inference";
import { UserMessage } from "ai-inference";
import { parse } from "ai-inference/structured";
import { type RunToolsResult, type ToolRunStream, defineTool, runTools } from "ai-inference/tools";

declare const client: ChatCompletionsClient;
const messages = [new UserMessage("hi")];
const Place = z.object({ city: z.string(), visits: z.number().default(0) });
type Place = { city: string; visits: number };

export async function structured(): Promise<void> {
  // SO2: parsed is typed from a Zod schema, bare or named; the output type (defaults applied).
  const bare = await parse(client, { messages, responseFormat: Place });
  const a: Place | null = bare.choices[0].message.parsed;
  const named = await client.parse({ messages, responseFormat: { name: "place", schema: Place } });
  const b: Place | null = named.choices[0].message.parsed;
  // @ts-expect-error parsed may be null (a choice that called tools)
  void bare.choices[0].message.parsed.city;
  // A plain JSON Schema gives unknown, unless the caller names the type.
  const plain = await parse(client, { messages, responseFormat: { name: "p", schema: { type: "object" } } });
  const c: unknown = plain.choices[0].message.parsed;
  // @ts-expect-error unknown cannot be used as Place
  const d: Place | null = plain.choices[0].message.parsed;
  const typed = await parse<Place>(client, {
    messages,
    responseFormat: { name: "p", schema: { type: "object" } },
  });
  const e: Place | null = typed.choices[0].message.parsed;
  const viaClient = await client.parse<Place>({ messages, responseFormat: "json_object" });
  const f: Place | null = viaClient.choices[0].message.parsed;
  // The rest of ChatCompletions is there.
  const id: string = bare.id;
  // @ts-expect-error responseFormat is required
  await parse(client, { messages });
  // #13: stream: true gives a stream whose partial objects are typed from the schema's input,
  // every key optional, and whose final answer is typed from its output.
  const streamed = await parse(client, { messages, responseFormat: Place, stream: true });
  for await (const partial of streamed.partialObjects()) {
    const city: string | undefined = partial.city;
    // @ts-expect-error a partial key may be missing
    const sure: string = partial.city;
    void [city, sure];
  }
  const g: Place | null = (await streamed.finalChatCompletions()).choices[0].message.parsed;
  void [a, b, c, d, e, f, g, id];
}

export async function tools(): Promise<void> {
  // TL13: execute's arguments are typed from the parameters.
  const weather = defineTool({
    name: "get_weather",
    parameters: z.object({ city: z.string(), days: z.number().optional() }),
    execute: ({ city, days }, { abortSignal }) => {
      const name: string = city;
      const n: number | undefined = days;
      // @ts-expect-error no such argument
      void city.nope;
      return abortSignal.aborted ? null : `${name} ${n}`;
    },
  });
  const json = defineTool<{ zone: string }>({
    name: "get_time",
    parameters: { type: "object", properties: { zone: { type: "string" } } },
    execute: ({ zone }) => zone.toUpperCase(),
  });
  const result: RunToolsResult = await runTools(client, { messages, tools: [weather, json] });
  const flag: boolean = result.maxRoundsReached;
  const stream: ToolRunStream = await runTools(client, { messages, tools: [weather], stream: true });
  const viaClient: ToolRunStream = await client.runTools({
    messages,
    tools: [json],
    stream: true,
    temperature: 0,
  });
  for await (const event of stream) {
    if (event.type === "tool-result") void event.result.output;
    // @ts-expect-error an update event has no result
    if (event.type === "update") void event.result;
  }
  // @ts-expect-error tools are runnable tools, not wire definitions
  await runTools(client, { messages, tools: [{ type: "function", function: { name: "x" } }] });
  void [flag, viaClient];
}
