// Structured outputs: an answer that follows a schema, parsed, validated and typed, with Zod and
// with a plain JSON Schema, and the errors that keep the raw answer when it cannot be parsed.
// Run: npm run build && node --import tsx examples/structured-outputs.ts
// (against AZURE_AI_CHAT_ENDPOINT if set, else the local server with the tiny test model)
import * as z from "zod";
import { JsonSchemaFormat, SystemMessage, UserMessage, isStructuredOutputError } from "ai-inference";
import { parse } from "ai-inference/structured";
import { exampleClient } from "./support/example-client.js";

const { client, close } = await exampleClient();
const messages = [
  new SystemMessage("You extract facts as JSON."),
  new UserMessage("The Eiffel Tower in Paris, France, is 330 metres tall."),
];

// With Zod: parsed is typed from the schema ({ name: string; city: string; ... } | null).
const Landmark = z.object({
  name: z.string().max(40),
  city: z.string().max(30),
  country: z.string().max(30),
  heightMetres: z.number(),
});
const answer = await parse(client, {
  messages,
  responseFormat: { name: "landmark", schema: Landmark },
  maxTokens: 300,
  temperature: 0,
});
const landmark = answer.choices[0].message.parsed;
console.log("Zod:", landmark?.name, landmark?.city, landmark?.heightMetres);

// With a plain JSON Schema (validated by @cfworker/json-schema); name the parsed type yourself.
const schema = {
  type: "object",
  properties: { city: { type: "string", maxLength: 30 }, tall: { type: "boolean" } },
  required: ["city", "tall"],
  additionalProperties: false,
};
const plain = await client.parse<{ city: string; tall: boolean }>({
  messages,
  responseFormat: { name: "city", schema },
  maxTokens: 200,
  temperature: 0,
});
console.log("JSON Schema:", plain.choices[0].message.parsed);

// Streamed (#13): the object as far as it has arrived, then the whole answer validated.
const stream = await parse(client, {
  messages,
  responseFormat: { name: "landmark", schema: Landmark },
  maxTokens: 300,
  temperature: 0,
  stream: true,
});
let partials = 0;
for await (const partial of stream.partialObjects())
  if (partials++ < 3) console.log("partial:", JSON.stringify(partial));
console.log(
  `streamed: ${partials} partial objects, then`,
  (await stream.finalChatCompletions()).choices[0].message.parsed?.name,
);

// Strict mode (#13): an optional key is sent required and nullable; null comes back as absent.
const Visit = z.object({
  city: z.string(),
  nights: z.number().optional(),
  when: z.string().transform((s) => s.trim()),
});
const strict = await parse(client, {
  messages,
  responseFormat: { name: "visit", schema: Visit, strict: true },
  maxTokens: 200,
  temperature: 0,
});
console.log("strict:", strict.choices[0].message.parsed);

// complete() takes the same schemas; it only sends them (nothing is parsed).
const format = JsonSchemaFormat.fromSchema(Landmark, { name: "landmark" });
console.log("sent as:", JSON.stringify({ type: "json_schema", json_schema: format }).slice(0, 80), "…");

// An answer cut by the token limit (or refused, not JSON, or off-schema) throws, keeping it all.
try {
  await parse(client, { messages, responseFormat: Landmark, maxTokens: 5 });
} catch (error) {
  if (!isStructuredOutputError(error)) throw error;
  console.log(
    `${error.name}: finish_reason ${error.finishReason}, raw content ${JSON.stringify(error.content)}`,
  );
}
await close();
