// The plain-text path (issue 10): a request with no functions in play is generated straight on a
// context sequence, not through LlamaChat. What that path could get wrong, with the real engine
// and the tiny model: text split across tokens (stop strings, multi-byte characters), the KV
// cache prefix it reuses, grammar output, and an abort.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { InferenceServer } from "../../src/server/index.js";
import { StopStringFilter, TrailingSpaceFilter } from "../../src/server/engine/stop-strings.js";
import { ask, postJson, readSse, startTinyServer } from "../support/tiny-server.js";
import { tinyModelPath } from "../support/tiny-model.js";
import { createServer } from "../../src/server/index.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The tiny model's byte tokens follow its seven control tokens (tiny-model.ts). */
const byteToken = (byte: number) => String(7 + byte);

function client(server: () => InferenceServer) {
  return {
    chat: async (body: Record<string, unknown>) => {
      const response = await postJson(server().fetch, "/chat/completions", body);
      assert.equal(response.status, 200);
      return (await response.json()) as Json;
    },
    /** The streamed text pieces and the finish reason. */
    stream: async (body: Record<string, unknown>) => {
      const response = await postJson(server().fetch, "/chat/completions", { ...body, stream: true });
      assert.equal(response.status, 200);
      const chunks = ((await readSse(response)) as Json[]).filter((event) => event !== "[DONE]");
      const pieces = chunks.flatMap((chunk) =>
        typeof chunk.choices[0]?.delta?.content === "string"
          ? [chunk.choices[0].delta.content as string]
          : [],
      );
      return { pieces, finishReason: chunks.at(-1).choices[0].finish_reason as string };
    },
  };
}

describe("issue 10 plain-text generation: text split across tokens", () => {
  let server: InferenceServer;
  before(async () => {
    server = await startTinyServer();
  });
  after(() => server.close());
  const { chat, stream } = client(() => server);
  const request = { messages: ask("tell me about cats"), max_tokens: 30, temperature: 0 };

  test("issue 10 S2.2 a stop string spanning two tokens is never streamed, and all text before it is", async () => {
    const full: string = (await chat(request)).choices[0].message.content;
    // The tiny model's tokens are at most two characters long, so three characters span two tokens.
    const stop = full.slice(12, 15);
    assert.equal(stop.length, 3);
    const expected = full.slice(0, full.indexOf(stop));
    const cut = await chat({ ...request, stop: [stop] });
    assert.equal(cut.choices[0].message.content, expected);
    assert.equal(cut.choices[0].finish_reason, "stop");
    const streamed = await stream({ ...request, stop: [stop] });
    assert.equal(streamed.pieces.join(""), expected);
    assert.equal(streamed.finishReason, "stop");
  });

  test("issue 10 S2.2 text held back for a stop string that never completes is released, none lost", async () => {
    const full: string = (await chat(request)).choices[0].message.content;
    // Starts like the reply's first character, so it is held each time that character comes.
    const stop = `${full[0]}\u0001never`;
    const streamed = await stream({ ...request, stop: [stop] });
    assert.equal(streamed.pieces.join(""), full);
    assert.equal(streamed.finishReason, "length");
    assert.equal((await chat({ ...request, stop: [stop] })).choices[0].message.content, full);
  });

  test("issue 10 P5.13 a character of four bytes, one byte token each, is streamed whole (grammar)", async () => {
    const body = {
      messages: ask("an emoji"),
      max_tokens: 30,
      response_format: {
        type: "json_schema",
        json_schema: { name: "emoji", schema: { type: "string", enum: ["😀é"] } },
      },
    };
    const reply = await chat(body);
    assert.equal(reply.choices[0].message.content, '"😀é"');
    const streamed = await stream(body);
    assert.equal(streamed.pieces.join(""), '"😀é"');
    for (const piece of streamed.pieces)
      assert.ok(!piece.includes("\uFFFD"), JSON.stringify(streamed.pieces));
  });

  test("issue 10 S2.2 json_object output parses, streamed or not, with no trailing whitespace", async () => {
    for (const seed of [1, 2, 3]) {
      const body = { messages: ask("json please"), seed, response_format: { type: "json_object" } };
      const content: string = (await chat(body)).choices[0].message.content;
      assert.equal(typeof JSON.parse(content), "object", content);
      assert.equal(content, content.trimEnd());
      const streamed = await stream(body);
      assert.equal(streamed.pieces.join(""), content);
      assert.equal(streamed.finishReason, "stop");
    }
  });
});

describe("issue 10 plain-text generation: multi-byte characters without a grammar", () => {
  let server: InferenceServer;
  before(async () => {
    // Byte tokens allowed (the default model bans them), so logit_bias can make the model write é.
    server = await createServer({ modelPath: await tinyModelPath({ banBias: 0 }), log: false });
  });
  after(() => server.close());
  const { chat, stream } = client(() => server);

  // The two bytes of é (C3 A9) are all the model may write; the penalty makes it alternate them.
  const accents = (maxTokens: number) => ({
    messages: ask("accents"),
    max_tokens: maxTokens,
    temperature: 0,
    logit_bias: { [byteToken(0xc3)]: 100, [byteToken(0xa9)]: 100 },
    frequency_penalty: 2,
  });

  test("issue 10 P5.13 é, two byte tokens, is never streamed half", async () => {
    const body = accents(10);
    const content: string = (await chat(body)).choices[0].message.content;
    assert.equal(content, "ééééé");
    const streamed = await stream(body);
    assert.equal(streamed.pieces.join(""), content);
    for (const piece of streamed.pieces) assert.match(piece, /^é+$/);
  });

  test("issue 10 a character max_tokens cuts in half is left out, streamed or not (as LlamaChat did)", async () => {
    // "é" then the first byte of the next "é": three tokens, the last one cut off.
    const body = accents(3);
    const reply = await chat(body);
    assert.equal(reply.choices[0].message.content, "é");
    assert.equal(reply.choices[0].finish_reason, "length");
    assert.equal(reply.usage.completion_tokens, 3);
    assert.deepEqual((await stream(body)).pieces, ["é"]);
  });
});

describe("issue 10 plain-text generation: the sequence between requests", () => {
  let server: InferenceServer;
  before(async () => {
    server = await startTinyServer({ maxConcurrent: 1 });
  });
  after(() => server.close());
  const { chat, stream } = client(() => server);

  test("issue 10 a conversation continued on the same sequence (its prefix reused) replies as on a fresh server", async () => {
    const first = await chat({ messages: ask("tell me about cats"), max_tokens: 20, temperature: 0 });
    const messages = [
      ...ask("tell me about cats"),
      { role: "assistant", content: first.choices[0].message.content },
      { role: "user", content: "and dogs?" },
    ];
    const body = { messages, max_tokens: 30, temperature: 0 };
    const continued = await chat(body);
    const again = await chat(body);
    const fresh = await startTinyServer({ maxConcurrent: 1 });
    try {
      const response = await postJson(fresh.fetch, "/chat/completions", body);
      const alone = (await response.json()) as Json;
      assert.equal(continued.choices[0].message.content, alone.choices[0].message.content);
      assert.equal(again.choices[0].message.content, alone.choices[0].message.content);
      assert.deepEqual(continued.usage, alone.usage);
    } finally {
      await fresh.close();
    }
  });

  test("issue 10 S1.6 a stream aborted mid-generation frees the sequence for the next request", async () => {
    const controller = new AbortController();
    const response = await postJson(
      server.fetch,
      "/chat/completions",
      { messages: ask("go on"), max_tokens: 1500, temperature: 0, stream: true },
      {},
      { signal: controller.signal },
    );
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await assert.rejects(reader.read(), { name: "AbortError" });
    const next = await stream({ messages: ask("hello"), max_tokens: 5, temperature: 0 });
    assert.ok(next.pieces.join("").length > 0);
    assert.ok(["stop", "length"].includes(next.finishReason));
  });
});

describe("issue 10 StopStringFilter and TrailingSpaceFilter", () => {
  test("issue 10 a stop string split over pieces ends the text before it", () => {
    const filter = new StopStringFilter(["END"]);
    assert.equal(filter.push("abcE"), "abc");
    assert.equal(filter.push("N"), "");
    assert.equal(filter.push("Dxyz"), "");
    assert.equal(filter.stopped, true);
    assert.equal(filter.push("more"), "");
  });

  test("issue 10 held text is released as soon as it can no longer start a stop string", () => {
    const filter = new StopStringFilter(["END", "<|im_end|>"]);
    assert.equal(filter.push("a<|im"), "a");
    assert.equal(filter.push("_x"), "<|im_x");
    assert.equal(filter.push("EN"), "");
    assert.equal(filter.flush(), "EN");
    assert.equal(filter.stopped, false);
  });

  test("issue 10 of several stop strings in one piece, the one that starts first cuts", () => {
    const filter = new StopStringFilter(["bc", "abcd"]);
    assert.equal(filter.push("xabcd"), "x");
    assert.equal(filter.stopped, true);
  });

  test("issue 10 the longest stop strings the server takes (16 of 1,000 characters) still cut across pieces", () => {
    const stops = Array.from({ length: 16 }, (_, i) => `${i}:`.padEnd(1_000, "z"));
    const filter = new StopStringFilter(stops);
    let out = filter.push("reply ");
    for (let at = 0; at < 1_000; at += 7) out += filter.push(stops[15].slice(at, at + 7));
    out += filter.push(" more");
    assert.equal(out, "reply ");
    assert.equal(filter.stopped, true);
  });

  test("issue 10 no stop strings: every piece passes at once", () => {
    const filter = new StopStringFilter([]);
    assert.equal(filter.push("abc"), "abc");
    assert.equal(filter.flush(), "");
  });

  test("issue 10 trailing whitespace waits for more text and is dropped at the end", () => {
    const spaces = new TrailingSpaceFilter();
    assert.equal(spaces.push('{"a": 1'), '{"a": 1');
    assert.equal(spaces.push(" \n"), "");
    assert.equal(spaces.push("}"), " \n}");
    assert.equal(spaces.push("\n\n"), "");
  });
});
