// Issue 11 (M3.6): a model spread into a plain object (`{ ...answer.choices[0].message }`) carries
// none of its data; a request holding one is refused before anything is sent, never sent as `{}`.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ChatCompletions,
  ChatCompletionsClient,
  ChatCompletionsToolDefinition,
  EmbeddingsClient,
  ImageEmbeddingsClient,
  ImageEmbeddingInput,
  JsonSchemaFormat,
  TextContentItem,
} from "../../src/index.js";
import { parse } from "../../src/helpers/structured-outputs/index.js";
import { useLoopbackServer } from "../support/loopback-server.js";
import { completionBody } from "../support/chat-replies.js";

const answer = ChatCompletions.fromDict(completionBody({ content: "5,280 feet." }));

test("M3.6 complete() refuses a spread message, content item, tool or response format before sending, naming where it is", async (t) => {
  const server = await useLoopbackServer(t, { body: completionBody({ content: "ok" }) });
  const client = new ChatCompletionsClient(server.url, null);
  const spreadMessage = { ...answer.choices[0].message };
  const tool = new ChatCompletionsToolDefinition({ function: { name: "f" } });
  const format = new JsonSchemaFormat({ name: "p", schema: { type: "object" } });
  const cases: [object, RegExp][] = [
    [
      { messages: [{ role: "user", content: "hi" }, spreadMessage] },
      /complete\(\): body\.messages\[1\] is a copy/,
    ],
    [
      { messages: [{ role: "user", content: [{ ...new TextContentItem({ text: "t" }) }] }] },
      /body\.messages\[0\]\.content\[0\]/,
    ],
    [{ messages: [{ role: "user", content: "hi" }], tools: [{ ...tool }] }, /body\.tools\[0\]/],
    [{ messages: [{ role: "user", content: "hi" }], modelExtras: { meta: { ...tool } } }, /body\.meta/],
    [{ body: { messages: [spreadMessage] } }, /body\.messages\[0\]/],
    [
      { messages: [{ role: "user", content: "hi" }], responseFormat: { ...format } },
      /^responseFormat is a copy/,
    ],
  ];
  for (const [options, where] of cases) {
    await assert.rejects(
      client.complete(options as never),
      (error: unknown) =>
        error instanceof TypeError &&
        where.test(error.message) &&
        /copy\(\)/.test(error.message) &&
        /asDict\(\)/.test(error.message),
    );
  }
  assert.equal(server.requests.length, 0, "nothing was sent");
  await client.complete({
    messages: [answer.choices[0].message.asDict(), { role: "user", content: "more" }],
  });
  assert.equal(server.requests.length, 1, "the advice (asDict) works");
});

test("M3.6 the embeddings clients refuse a spread input the same way", async (t) => {
  const server = await useLoopbackServer(t, { body: { data: [] } });
  const input = await ImageEmbeddingInput.load(new Uint8Array([1, 2, 3]), "png");
  const images = new ImageEmbeddingsClient(server.url, null);
  await assert.rejects(
    images.embed({ input: [{ ...input }] }),
    /embed\(\): body\.input\[0\] is a copy of a model/,
  );
  const texts = new EmbeddingsClient(server.url, null);
  await assert.rejects(texts.embed({ input: ["a"], modelExtras: { x: { ...input } } }), /body\.x is a copy/);
  assert.equal(server.requests.length, 0);
});

test("M3.6 (issue 11) parse() refuses a spread response format the same way, before sending", async (t) => {
  const server = await useLoopbackServer(t, { body: completionBody({ content: "{}" }) });
  const client = new ChatCompletionsClient(server.url, null);
  const format = new JsonSchemaFormat({ name: "p", schema: { type: "object" } });
  await assert.rejects(
    parse(client, { messages: [{ role: "user", content: "hi" }], responseFormat: { ...format } as never }),
    (error: unknown) =>
      error instanceof TypeError &&
      /parse\(\): responseFormat is a copy of a model/.test(error.message) &&
      /copy\(\)/.test(error.message),
  );
  assert.equal(server.requests.length, 0);
  const answer = await parse(client, {
    messages: [{ role: "user", content: "hi" }],
    responseFormat: format.copy(),
  });
  assert.deepEqual(answer.choices[0].message.parsed, {}, "the advice (copy) works");
});
