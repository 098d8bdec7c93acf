// Issue 13, structured outputs, SO16: parse(client, { ..., stream: true }): the updates, the
// partially parsed object each time it changes, and the whole answer validated at the end.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as z from "zod";
import {
  ChatCompletionsClient,
  StructuredOutputJsonError,
  StructuredOutputLengthError,
  StructuredOutputSchemaError,
  UserMessage,
} from "../../../src/index.js";
import { ParsedChatCompletionsStream, parse } from "../../../src/helpers/structured-outputs/index.js";
import { useLoopbackServer } from "../../support/loopback-server.js";
import { streamReply } from "../../support/chat-replies.js";

const messages = [new UserMessage("Describe the tower")];
const Landmark = z.object({
  name: z.string(),
  height: z.number(),
  tags: z.array(z.string()),
  open: z.boolean().default(true),
});
const content = '{"name":"Eiffel Tower","height":330,"tags":["iron","Paris"]}';

async function clientFor(
  t: Parameters<typeof useLoopbackServer>[0],
  ...plans: Parameters<typeof useLoopbackServer>[1][]
) {
  const server = await useLoopbackServer(t, ...plans);
  return { server, client: new ChatCompletionsClient(server.url, null, { apiVersion: null, maxRetries: 0 }) };
}

test("#13 SO16 partialObjects() yields the object as far as it has arrived, each time it changes; numbers only whole", async (t) => {
  const { server, client } = await clientFor(t, streamReply({ content }));
  const stream = await parse(client, { messages, responseFormat: Landmark, stream: true });
  assert.ok(stream instanceof ParsedChatCompletionsStream);
  const partials: unknown[] = [];
  for await (const partial of stream.partialObjects()) {
    const typed: { name?: string; height?: number; tags?: (string | undefined)[] } = partial;
    partials.push(structuredClone(typed));
  }
  assert.deepEqual(partials[0], {});
  assert.ok(
    partials.some((p) => JSON.stringify(p) === '{"name":"Eif"}'),
    JSON.stringify(partials),
  );
  // Never a partial number: 3 or 33 of 330 would be wrong values, not unfinished ones.
  for (const p of partials) {
    const height = (p as { height?: number }).height;
    assert.ok(height === undefined || height === 330, JSON.stringify(p));
  }
  assert.deepEqual(partials.at(-1), JSON.parse(content));
  // Each one differs from the one before.
  for (let i = 1; i < partials.length; i++) assert.notDeepEqual(partials[i], partials[i - 1]);
  const final = await stream.finalChatCompletions();
  assert.deepEqual(final.choices[0].message.parsed, { ...JSON.parse(content), open: true });
  const sent = server.requests[0].json() as { stream: boolean; response_format: { type: string } };
  assert.equal(sent.stream, true);
  assert.equal(sent.response_format.type, "json_schema");
});

test("#13 SO16 iterating gives the updates; finalChatCompletions() then parses the whole answer (client.parse too)", async (t) => {
  const { client } = await clientFor(t, streamReply({ content }));
  const stream = await client.parse({
    messages,
    responseFormat: { name: "landmark", schema: Landmark },
    stream: true,
  });
  let text = "";
  let updates = 0;
  for await (const update of stream) {
    updates++;
    text += update.text;
  }
  assert.equal(text, content);
  assert.ok(updates > 10);
  const final = await stream.finalChatCompletions();
  assert.equal(final.choices[0].message.parsed?.height, 330);
  assert.equal(await stream.finalChatCompletions(), final);
});

test("#13 SO16 an answer that fails the schema, is not JSON or is cut rejects partialObjects() and finalChatCompletions() as parse() does", async (t) => {
  const { client } = await clientFor(
    t,
    streamReply({ content: '{"name":"X","height":"tall","tags":[]}' }),
    streamReply({ content: "Sorry, I cannot." }),
    streamReply({ content: '{"name":"Eiffel' }, "length"),
  );
  const failing = await parse(client, { messages, responseFormat: Landmark, stream: true });
  const seen: unknown[] = [];
  await assert.rejects(async () => {
    for await (const partial of failing.partialObjects()) seen.push(partial);
  }, StructuredOutputSchemaError);
  assert.deepEqual(seen.at(-1), { name: "X", height: "tall", tags: [] });
  await assert.rejects(failing.finalChatCompletions(), StructuredOutputSchemaError);

  const prose = await parse(client, { messages, responseFormat: Landmark, stream: true });
  const none: unknown[] = [];
  await assert.rejects(async () => {
    for await (const partial of prose.partialObjects()) none.push(partial);
  }, StructuredOutputJsonError);
  assert.deepEqual(none, []);

  const cut = await parse(client, { messages, responseFormat: Landmark, stream: true });
  await assert.rejects(cut.finalChatCompletions(), (error: unknown) => {
    assert.ok(error instanceof StructuredOutputLengthError);
    assert.equal(error.content, '{"name":"Eiffel');
    return true;
  });
});

test("#13 SO16 breaking out of partialObjects() closes the stream; the final answer is then what had arrived", async (t) => {
  const { client } = await clientFor(t, streamReply({ content }));
  const stream = await parse(client, { messages, responseFormat: Landmark, stream: true });
  for await (const partial of stream.partialObjects()) {
    if ((partial as { name?: string }).name !== undefined) break;
  }
  // What had been received when the loop ended: whole (parsed) or cut (not JSON), never a hang.
  const settled = await stream.finalChatCompletions().then(
    (final) => final.choices[0].message.parsed?.name,
    (error: unknown) => error,
  );
  assert.ok(settled === "Eiffel Tower" || settled instanceof StructuredOutputJsonError, String(settled));
  assert.throws(() => stream[Symbol.asyncIterator](), /read once|already/);
});
