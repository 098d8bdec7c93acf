// The chat route end to end, in-process, with the real llama engine and the tiny model. The model
// speaks gibberish: these tests assert shapes, counts, stop reasons and schema validity, never meaning.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Ajv } from "ajv";
import type { InferenceServer } from "../../src/server/index.js";
import { ask, postJson, readSse, startTinyServer } from "../support/tiny-server.js";

let server: InferenceServer;
before(async () => {
  server = await startTinyServer();
});
after(() => server.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const chat = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
  const response = await postJson(server.fetch, "/chat/completions", body, headers);
  return { status: response.status, body: (await response.json()) as Json };
};
const stream = async (body: Record<string, unknown>) => {
  const response = await postJson(server.fetch, "/chat/completions", { ...body, stream: true });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
  return readSse(response) as Promise<Json[]>;
};

/** P5.8's accumulation, enough for these replies: one choice, whole tool calls with an index. */
function accumulate(events: Json[]): Json {
  const chunks = events.filter((e) => e !== "[DONE]");
  const message: Json = { role: undefined, content: null };
  let finishReason = null;
  let usage = null;
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      message.role ??= choice.delta.role;
      if (typeof choice.delta.content === "string")
        message.content = (message.content ?? "") + choice.delta.content;
      for (const call of choice.delta.tool_calls ?? []) {
        message.tool_calls ??= [];
        const { index, ...rest } = call;
        message.tool_calls[index] = rest;
      }
      finishReason = choice.finish_reason ?? finishReason;
    }
  }
  const first = chunks[0];
  return {
    id: first.id,
    object: "chat.completion",
    created: first.created,
    model: first.model,
    choices: [{ index: 0, message, finish_reason: finishReason }],
    usage,
  };
}

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather in a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string", maxLength: 20 }, unit: { enum: ["C", "F"] } },
      required: ["city", "unit"],
    },
  },
};
// With the tiny model's defaults, this prompt and seed are known to call the tool.
const callingRequest = {
  messages: ask("What is the weather in Paris?"),
  tools: [weatherTool],
  seed: 3,
  temperature: 0.7,
  max_tokens: 60,
};

describe("S1.3 non-streamed replies", () => {
  test("S1.3 a reply has the chat.completion wire shape", async () => {
    const { status, body } = await chat({ messages: ask("hello"), max_tokens: 12, temperature: 0 });
    assert.equal(status, 200);
    assert.match(body.id, /^chatcmpl-/);
    assert.equal(body.object, "chat.completion");
    assert.ok(
      Number.isInteger(body.created) && Math.abs(body.created - Date.now() / 1000) < 600,
      "created is in seconds",
    );
    assert.equal(body.model, "tiny-random-llama");
    assert.equal(body.choices.length, 1);
    assert.deepEqual(Object.keys(body.choices[0]).sort(), ["finish_reason", "index", "message"]);
    assert.equal(body.choices[0].message.role, "assistant");
    assert.equal(typeof body.choices[0].message.content, "string");
    assert.ok(!("tool_calls" in body.choices[0].message), "no tool_calls key without calls (P5.13)");
  });

  test("S1.3 usage reports the real token counts", async () => {
    const { body } = await chat({ messages: ask("hello"), max_tokens: 9, temperature: 0 });
    assert.equal(body.choices[0].finish_reason, "length");
    assert.equal(body.usage.completion_tokens, 9);
    assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + body.usage.completion_tokens);
    const longer = await chat({
      messages: [...ask("hello"), { role: "assistant", content: "hi" }, ...ask("more words here")],
      max_tokens: 9,
      temperature: 0,
    });
    assert.ok(
      longer.body.usage.prompt_tokens > body.usage.prompt_tokens,
      "a longer conversation has more prompt tokens",
    );
  });

  test("S1.5 the reply names the loaded model whatever model was asked for", async () => {
    const { status, body } = await chat({ messages: ask("hi"), model: "gpt-4o", max_tokens: 3 });
    assert.equal(status, 200);
    assert.equal(body.model, "tiny-random-llama");
  });

  test("S2.2 greedy sampling is deterministic", async () => {
    const request = { messages: ask("tell me about cats"), max_tokens: 25, temperature: 0 };
    const [a, b] = [await chat(request), await chat(request)];
    assert.equal(a.body.choices[0].message.content, b.body.choices[0].message.content);
    assert.ok(a.body.choices[0].message.content.length > 0);
  });

  test("S2.2 the same seed gives the same sample", async () => {
    const request = { messages: ask("tell me about dogs"), max_tokens: 25, temperature: 0.9, seed: 42 };
    const [a, b] = [await chat(request), await chat(request)];
    assert.equal(a.body.choices[0].message.content, b.body.choices[0].message.content);
  });

  test("S2.2 finish_reason stop when a stop sequence is met, and the text ends before it", async () => {
    const request = { messages: ask("tell me about cats"), max_tokens: 25, temperature: 0 };
    const full: string = (await chat(request)).body.choices[0].message.content;
    const stop = full.slice(8, 11);
    const cut = await chat({ ...request, stop: [stop] });
    assert.equal(cut.body.choices[0].finish_reason, "stop");
    assert.equal(cut.body.choices[0].message.content, full.slice(0, full.indexOf(stop)));
    assert.ok(cut.body.usage.completion_tokens < 25);
  });

  test("S1.5 max_completion_tokens is an alias of max_tokens", async () => {
    const { body } = await chat({ messages: ask("hello"), max_completion_tokens: 7, temperature: 0 });
    assert.equal(body.choices[0].finish_reason, "length");
    assert.equal(body.usage.completion_tokens, 7);
  });

  test("S1.5 user, reasoning_effort, parallel_tool_calls, logprobs false and n 1 are accepted", async () => {
    const { status } = await chat({
      messages: ask("hi"),
      max_tokens: 3,
      user: "u-1",
      reasoning_effort: "low",
      parallel_tool_calls: false,
      logprobs: false,
      top_logprobs: 0,
      n: 1,
      modalities: ["text"],
    });
    assert.equal(status, 200);
  });

  test("S1.2 api-version is accepted, not required", async () => {
    const response = await postJson(server.fetch, "/chat/completions?api-version=2024-05-01-preview", {
      messages: ask("hi"),
      max_tokens: 3,
    });
    assert.equal(response.status, 200);
  });

  test("S1.2 the same route answers under /v1", async () => {
    const response = await postJson(server.fetch, "/v1/chat/completions", {
      messages: ask("hi"),
      max_tokens: 3,
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as Json).object, "chat.completion");
  });

  test("S2.2 a whole conversation with system, developer, assistant tool calls and tool results", async () => {
    const { status, body } = await chat({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "developer", content: [{ type: "text", text: "Answer in JSON." }] },
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "c1", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: '{"tempC": 3}' },
        { role: "user", content: "thanks" },
      ],
      max_tokens: 5,
    });
    assert.equal(status, 200);
    assert.equal(body.choices[0].message.role, "assistant");
  });

  test("S1.5 logit_bias without a grammar is honoured", async () => {
    const { status, body } = await chat({
      messages: ask("hi"),
      max_tokens: 4,
      temperature: 0,
      logit_bias: { "300": 5 },
    });
    assert.equal(status, 200);
    assert.equal(body.usage.completion_tokens, 4);
  });

  test("S1.5 pass-through hands top_k and min_p to the sampler", async () => {
    const { status } = await chat(
      {
        messages: ask("hi"),
        max_tokens: 4,
        temperature: 0.8,
        seed: 1,
        top_k: 5,
        min_p: 0.1,
        something_else: [1],
      },
      { "extra-parameters": "pass-through" },
    );
    assert.equal(status, 200);
  });
});

describe("S2.2 sampling defaults", () => {
  // node-llama-cpp samples with top_k 40 and top_p 0.95 when the engine leaves them out; the wire's
  // defaults are top_p 1 and no top-k cut. At temperature 2 a random model's reply soon samples a
  // token outside its top 40, so the three runs below tell the two apart with the same seed.
  const reply = async (extra: Record<string, unknown>) => {
    const { status, body } = await chat(
      { messages: ask("tell me a story"), max_tokens: 48, temperature: 2, seed: 11, ...extra },
      { "extra-parameters": "pass-through" },
    );
    assert.equal(status, 200);
    return body.choices[0].message.content as string;
  };

  test("S2.2 top_p defaults to 1 with every token a candidate, not node-llama-cpp's top_k 40 / top_p 0.95", async () => {
    const byDefault = await reply({});
    assert.equal(byDefault, await reply({ top_p: 1, top_k: 0 }), "the defaults are top_p 1 and no top-k cut");
    assert.notEqual(byDefault, await reply({ top_p: 0.95, top_k: 40 }), "node-llama-cpp's defaults differ");
  });
});

describe("S1.3 streamed replies", () => {
  test("S1.3 chunks have the chat.completion.chunk shape and the stream ends with [DONE]", async () => {
    const events = await stream({ messages: ask("hello"), max_tokens: 10, temperature: 0 });
    assert.equal(events.at(-1), "[DONE]");
    const chunks = events.slice(0, -1);
    const id = chunks[0].id;
    for (const chunk of chunks) {
      assert.equal(chunk.object, "chat.completion.chunk");
      assert.equal(chunk.id, id);
      assert.equal(chunk.model, "tiny-random-llama");
      assert.ok(Number.isInteger(chunk.created));
      assert.equal(chunk.choices.length, 1);
      assert.ok(!("usage" in chunk), "no usage key without include_usage");
    }
    assert.deepEqual(chunks[0].choices[0].delta, { role: "assistant" });
    assert.ok(
      chunks
        .slice(1, -1)
        .every(
          (c: Json) => typeof c.choices[0].delta.content === "string" && c.choices[0].delta.content !== "",
        ),
    );
    assert.deepEqual(chunks.at(-1).choices[0], { index: 0, delta: {}, finish_reason: "length" });
  });

  test("S1.3 stream_options.include_usage adds a usage-only last chunk", async () => {
    const events = await stream({
      messages: ask("hello"),
      max_tokens: 6,
      temperature: 0,
      stream_options: { include_usage: true },
    });
    const chunks = events.slice(0, -1);
    const last = chunks.at(-1);
    assert.deepEqual(last.choices, []);
    assert.equal(last.usage.completion_tokens, 6);
    assert.equal(last.usage.total_tokens, last.usage.prompt_tokens + 6);
    assert.ok(chunks.slice(0, -1).every((c: Json) => c.usage === null));
  });

  test("P5.13 the accumulated stream equals the non-streamed reply (text)", async () => {
    const request = { messages: ask("tell me about the sun"), max_tokens: 20, temperature: 0 };
    const events = await stream({ ...request, stream_options: { include_usage: true } });
    const streamed = accumulate(events);
    const { body } = await chat(request);
    assert.deepEqual({ ...streamed, id: body.id, created: body.created }, body);
  });

  test("P5.13 the accumulated stream equals the non-streamed reply (tool calls)", async () => {
    const events = await stream({ ...callingRequest, stream_options: { include_usage: true } });
    const streamed = accumulate(events);
    const { body } = await chat(callingRequest);
    assert.equal(body.choices[0].finish_reason, "tool_calls");
    const withoutIds = (reply: Json) => ({
      ...reply,
      id: undefined,
      created: undefined,
      choices: reply.choices.map((choice: Json) => ({
        ...choice,
        message: {
          ...choice.message,
          tool_calls: choice.message.tool_calls.map((call: Json) => ({ ...call, id: undefined })),
        },
      })),
    });
    assert.deepEqual(withoutIds(streamed), withoutIds(body));
  });
});

describe("S2.2 structured output", () => {
  const schema = {
    type: "object",
    properties: {
      name: { type: "string" },
      age: { type: "integer" },
      mood: { enum: ["happy", "sad"] },
      ok: { type: "boolean" },
      tags: { type: "array", items: { type: "string" }, maxItems: 3 },
    },
    required: ["name", "age", "mood", "ok", "tags"],
    additionalProperties: false,
  };
  const validate = new Ajv().compile(schema);

  test("S2.2 json_schema output is valid JSON for the schema", async () => {
    for (const seed of [1, 2, 3]) {
      const { status, body } = await chat({
        messages: ask(`a person, please (${seed})`),
        max_tokens: 200,
        temperature: 0.7,
        seed,
        response_format: { type: "json_schema", json_schema: { name: "person", schema, strict: true } },
      });
      assert.equal(status, 200);
      assert.equal(body.choices[0].finish_reason, "stop");
      const value = JSON.parse(body.choices[0].message.content);
      assert.ok(validate(value), JSON.stringify(validate.errors));
    }
  });

  test("S2.2 json_schema output streams too, and the joined text validates", async () => {
    const events = await stream({
      messages: ask("a person"),
      max_tokens: 200,
      temperature: 0,
      response_format: { type: "json_schema", json_schema: { name: "person", schema } },
    });
    const content = accumulate(events).choices[0].message.content;
    assert.ok(validate(JSON.parse(content)), JSON.stringify(validate.errors));
  });

  test("S2.2 json_object output is a JSON object", async () => {
    const { body } = await chat({
      messages: ask("json please"),
      max_tokens: 100,
      temperature: 0,
      response_format: { type: "json_object" },
    });
    const value = JSON.parse(body.choices[0].message.content);
    assert.equal(typeof value, "object");
    assert.ok(value !== null && !Array.isArray(value));
  });

  test("S2.2 a keyword the grammar can't enforce is dropped when strict is false", async () => {
    const { status, body } = await chat({
      messages: ask("a code"),
      max_tokens: 100,
      temperature: 0,
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "code",
          schema: {
            type: "object",
            properties: { code: { type: "string", pattern: "^[A-Z]+$", maxLength: 8 } },
            required: ["code"],
          },
        },
      },
    });
    assert.equal(status, 200);
    assert.equal(typeof JSON.parse(body.choices[0].message.content).code, "string");
  });
});

describe("S2.2 tool calls", () => {
  const validateArguments = new Ajv().compile(weatherTool.function.parameters);

  test("S2.2 a call comes back as tool_calls with finish_reason tool_calls, arguments valid for the schema", async () => {
    const { status, body } = await chat(callingRequest);
    assert.equal(status, 200);
    const choice = body.choices[0];
    assert.equal(choice.finish_reason, "tool_calls");
    assert.ok(choice.message.tool_calls.length >= 1);
    for (const call of choice.message.tool_calls) {
      assert.match(call.id, /^call_/);
      assert.equal(call.type, "function");
      assert.equal(call.function.name, "get_weather");
      assert.ok(
        validateArguments(JSON.parse(call.function.arguments)),
        JSON.stringify(validateArguments.errors),
      );
    }
  });

  test("S2.2 tool_choice required makes the model call a tool", async () => {
    const timeTool = { type: "function", function: { name: "get_time", description: "The time" } };
    const { body } = await chat({
      messages: ask("hello"),
      tools: [weatherTool, timeTool],
      tool_choice: "required",
      temperature: 0,
      max_tokens: 60,
    });
    assert.equal(body.choices[0].finish_reason, "tool_calls");
    assert.ok(["get_weather", "get_time"].includes(body.choices[0].message.tool_calls[0].function.name));
  });

  test("S2.2 a named tool_choice calls that function, and parallel_tool_calls false allows one call", async () => {
    const timeTool = { type: "function", function: { name: "get_time", description: "The time" } };
    const { body } = await chat({
      messages: ask("hello"),
      tools: [timeTool, weatherTool],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      parallel_tool_calls: false,
      temperature: 0,
      max_tokens: 60,
    });
    const calls = body.choices[0].message.tool_calls;
    assert.equal(calls.length, 1);
    assert.equal(calls[0].function.name, "get_weather");
    assert.ok(validateArguments(JSON.parse(calls[0].function.arguments)));
  });

  test("S2.2 tool_choice none never calls", async () => {
    const { body } = await chat({ ...callingRequest, tool_choice: "none" });
    assert.notEqual(body.choices[0].finish_reason, "tool_calls");
    assert.ok(!("tool_calls" in body.choices[0].message));
  });
});
