import { test } from "node:test";
import assert from "node:assert/strict";
import { ChatCompletionsAccumulator } from "../../src/streaming/accumulate.js";

type Json = Record<string, unknown>;

function accumulate(chunks: Json[]): Json {
  const accumulator = new ChatCompletionsAccumulator();
  for (const chunk of chunks) accumulator.add(structuredClone(chunk));
  return accumulator.result();
}

const chunk = (delta: Json, extra: Json = {}, choice: Json = {}): Json => ({
  id: "c1",
  object: "chat.completion.chunk",
  created: 100,
  model: "m",
  choices: [{ index: 0, delta, finish_reason: null, ...choice }],
  ...extra,
});

const calls = (result: Json): Json[] => ((result.choices as Json[])[0].message as Json).tool_calls as Json[];

test("P5.8 content, role and finish_reason; object becomes chat.completion", () => {
  const result = accumulate([
    chunk({ role: "assistant", content: "" }),
    chunk({ content: "Hel" }),
    chunk({ content: "lo" }),
    chunk({}, {}, { finish_reason: "stop" }),
  ]);
  assert.deepEqual(result, {
    id: "c1",
    object: "chat.completion",
    created: 100,
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", content: "Hello" }, finish_reason: "stop" }],
  });
});

test("P5.13 content is null when no content arrived; role defaults to assistant", () => {
  const result = accumulate([chunk({ content: null }), chunk({}, {}, { finish_reason: "length" })]);
  assert.deepEqual((result.choices as Json[])[0], {
    index: 0,
    message: { role: "assistant", content: null },
    finish_reason: "length",
  });
});

test("P5.8 the role comes from the first delta that has one; role: null is not one", () => {
  const result = accumulate([
    chunk({ role: null, content: "a" }),
    chunk({ role: "tool" }),
    chunk({ role: "x" }),
  ]);
  assert.equal(((result.choices as Json[])[0].message as Json).role, "tool");
});

test("P5.8 reasoning_content and refusal are joined, and only present when sent", () => {
  const result = accumulate([
    chunk({ role: "assistant", reasoning_content: "Let me ", refusal: null }),
    chunk({ reasoning_content: "think." }),
    chunk({ content: "42" }),
  ]);
  assert.deepEqual((result.choices as Json[])[0].message, {
    role: "assistant",
    content: "42",
    reasoning_content: "Let me think.",
    refusal: null,
  });
  const refused = accumulate([chunk({ refusal: "I can" }), chunk({ refusal: "not." })]);
  assert.deepEqual((refused.choices as Json[])[0].message, {
    role: "assistant",
    content: null,
    refusal: "I cannot.",
  });
});

test("P5.8 logprobs.content arrays are concatenated", () => {
  const token = (t: string) => ({ token: t, logprob: -0.1, bytes: null, top_logprobs: [] });
  const result = accumulate([
    chunk({ content: "a" }, {}, { logprobs: { content: [token("a")], refusal: null } }),
    chunk({ content: "b" }, {}, { logprobs: { content: [token("b")], refusal: null } }),
    chunk({}, {}, { logprobs: null, finish_reason: "stop" }),
  ]);
  assert.deepEqual((result.choices as Json[])[0].logprobs, {
    content: [token("a"), token("b")],
    refusal: null,
  });
});

test("P5.13 logprobs: null on every chunk stays null; absent stays absent", () => {
  const nulls = accumulate([chunk({ content: "a" }, {}, { logprobs: null })]);
  assert.equal((nulls.choices as Json[])[0].logprobs, null);
  assert.equal(
    Object.hasOwn((accumulate([chunk({ content: "a" })]).choices as Json[])[0], "logprobs"),
    false,
  );
});

test("P5.8 usage is the last non-null one, wherever it arrives", () => {
  const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
  const onLast = accumulate([
    chunk({ content: "a" }, { usage: null }),
    chunk({}, { usage }, { finish_reason: "stop" }),
  ]);
  assert.deepEqual(onLast.usage, usage);
  const usageOnly = accumulate([
    chunk({ content: "a" }, { usage: null }),
    { ...chunk({}), choices: [], usage },
  ]);
  assert.deepEqual(usageOnly.usage, usage);
  assert.equal(Object.hasOwn(accumulate([chunk({ content: "a" }, { usage: null })]), "usage"), false);
});

test("P5.13 id, model and created come from the first chunk where they are non-empty", () => {
  const result = accumulate([
    { id: "", object: "", created: 0, model: "", choices: [], prompt_filter_results: [{ prompt_index: 0 }] },
    chunk({ content: "a" }, { id: "real", created: 5, model: "gpt", system_fingerprint: "fp" }),
    chunk({ content: "b" }, { id: "later", created: 6, model: "other", system_fingerprint: "fp2" }),
  ]);
  assert.equal(result.id, "real");
  assert.equal(result.created, 5);
  assert.equal(result.model, "gpt");
  assert.equal(result.object, "chat.completion");
  assert.equal(result.system_fingerprint, "fp");
  assert.deepEqual(result.prompt_filter_results, [{ prompt_index: 0 }]);
});

test("P5.13 per-choice extras take the last non-empty value", () => {
  const filter = (severity: string) => ({ hate: { filtered: false, severity } });
  const result = accumulate([
    chunk({ role: "assistant" }, {}, { content_filter_results: {} }),
    chunk({ content: "a" }, {}, { content_filter_results: filter("safe") }),
    chunk({ content: "b" }, {}, { content_filter_results: filter("low") }),
    chunk({}, {}, { content_filter_results: {}, finish_reason: "stop" }),
  ]);
  assert.deepEqual((result.choices as Json[])[0].content_filter_results, filter("low"));
});

test("P5.8 choices are kept per index and sorted by index", () => {
  const two = (i: number, content: string): Json => ({
    ...chunk({}),
    choices: [{ index: i, delta: { content } }],
  });
  const result = accumulate([two(1, "B"), two(0, "a"), two(1, "C"), two(0, "b")]);
  assert.deepEqual(
    (result.choices as Json[]).map((c) => [c.index, (c.message as Json).content]),
    [
      [0, "ab"],
      [1, "BC"],
    ],
  );
});

test("P5.8 tool calls by index: id, type and name from the first fragment, arguments joined", () => {
  const result = accumulate([
    chunk({
      role: "assistant",
      content: null,
      tool_calls: [
        { index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } },
      ],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { name: null, arguments: '"Paris"}' } }] }),
    chunk({}, {}, { finish_reason: "tool_calls" }),
  ]);
  assert.deepEqual((result.choices as Json[])[0], {
    index: 0,
    message: {
      role: "assistant",
      content: null,
      tool_calls: [
        { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      ],
    },
    finish_reason: "tool_calls",
  });
});

test("P5.8 parallel calls interleaved by index are kept apart and ordered by index", () => {
  const result = accumulate([
    chunk({ tool_calls: [{ index: 1, id: "b", type: "function", function: { name: "g", arguments: "" } }] }),
    chunk({ tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "f", arguments: "" } }] }),
    chunk({
      tool_calls: [
        { index: 0, function: { arguments: '{"x"' } },
        { index: 1, function: { arguments: '{"y"' } },
      ],
    }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: ":2}" } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: ":1}" } }] }),
  ]);
  assert.deepEqual(calls(result), [
    { id: "a", type: "function", function: { name: "f", arguments: '{"x":1}' } },
    { id: "b", type: "function", function: { name: "g", arguments: '{"y":2}' } },
  ]);
});

test("P5.8 a stream whose only call has index 1 gives one call, with no hole and no index key", () => {
  const result = accumulate([
    chunk({
      tool_calls: [{ index: 1, id: "x", type: "function", function: { name: "f", arguments: "{}" } }],
    }),
  ]);
  assert.deepEqual(calls(result), [{ id: "x", type: "function", function: { name: "f", arguments: "{}" } }]);
});

test("P5.8 without index: a whole call in one delta, type defaulting to function (Mistral)", () => {
  const result = accumulate([
    chunk({ content: "", role: "assistant" }),
    chunk(
      {
        tool_calls: [
          { function: { arguments: '{"city": "Seattle"}', name: "get_weather" }, id: "Sanitized" },
        ],
      },
      {},
      { finish_reason: "tool_calls" },
    ),
  ]);
  assert.deepEqual((result.choices as Json[])[0].message, {
    content: "",
    role: "assistant",
    tool_calls: [
      {
        id: "Sanitized",
        type: "function",
        function: { name: "get_weather", arguments: '{"city": "Seattle"}' },
      },
    ],
  });
});

test("P5.8 without index: a seen id continues its call, a new id starts one, no id continues the last", () => {
  const result = accumulate([
    chunk({ tool_calls: [{ id: "a", function: { name: "f", arguments: "[1" } }] }),
    chunk({ tool_calls: [{ id: "b", function: { name: "g", arguments: "[2" } }] }),
    chunk({ tool_calls: [{ function: { arguments: ",2]" } }] }),
    chunk({ tool_calls: [{ id: "a", function: { arguments: ",1]" } }] }),
  ]);
  assert.deepEqual(calls(result), [
    { id: "a", type: "function", function: { name: "f", arguments: "[1,1]" } },
    { id: "b", type: "function", function: { name: "g", arguments: "[2,2]" } },
  ]);
});

test("P5.8 name arriving in a later fragment; name defaults to an empty string", () => {
  const result = accumulate([
    chunk({ tool_calls: [{ index: 0, id: "a", function: { arguments: "{" } }] }),
    chunk({ tool_calls: [{ index: 0, function: { name: "late", arguments: "}" } }] }),
    chunk({ tool_calls: [{ index: 1, id: "b", function: { arguments: "{}" } }] }),
  ]);
  assert.deepEqual(calls(result), [
    { id: "a", type: "function", function: { name: "late", arguments: "{}" } },
    { id: "b", type: "function", function: { name: "", arguments: "{}" } },
  ]);
});

test("P5.8 parallel calls that all carry index 0 but different ids are kept apart", () => {
  const result = accumulate([
    chunk({
      tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "f", arguments: "{}" } }],
    }),
    chunk({ tool_calls: [{ index: 0, id: "b", type: "function", function: { name: "g", arguments: "{" } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: "}" } }] }),
  ]);
  assert.deepEqual(
    calls(result).map((c) => [c.id, (c.function as Json).arguments]),
    [
      ["a", "{}"],
      ["b", "{}"],
    ],
  );
});

test("P5.13 tool_calls only when calls arrived: null, [] and absent give no key", () => {
  const result = accumulate([
    chunk({ content: "a", tool_calls: null }),
    chunk({ content: "b", tool_calls: [] }),
  ]);
  assert.deepEqual((result.choices as Json[])[0].message, { role: "assistant", content: "ab" });
});

test("P5.8 unknown vendor keys are kept: top level from the first chunk, in the delta joined when text", () => {
  const result = accumulate([
    chunk(
      { content: "a", reasoning: "th" },
      { x_groq: { id: "q1" }, service_tier: "default", obfuscation: "xx" },
    ),
    chunk(
      { content: "b", reasoning: "ink" },
      { x_groq: { id: "q2" }, service_tier: "default", obfuscation: "yy" },
    ),
  ]);
  assert.deepEqual(result.x_groq, { id: "q1" });
  assert.equal(result.service_tier, "default");
  assert.equal(result.obfuscation, "xx");
  assert.equal(((result.choices as Json[])[0].message as Json).reasoning, "think");
});

test("P5.8 audio fragments: data and transcript joined, id from the first", () => {
  const result = accumulate([
    chunk({ audio: { id: "au", data: "AAA", transcript: "He", expires_at: 9 } }),
    chunk({ audio: { data: "BBB", transcript: "llo" } }),
  ]);
  assert.deepEqual(((result.choices as Json[])[0].message as Json).audio, {
    id: "au",
    data: "AAABBB",
    transcript: "Hello",
    expires_at: 9,
  });
});

test("P5.8 a missing finish_reason is not an error; one outside the known list is kept", () => {
  assert.equal((accumulate([chunk({ content: "a" })]).choices as Json[])[0].finish_reason, null);
  const odd = accumulate([chunk({ content: "a" }, {}, { finish_reason: "eos_token" })]);
  assert.equal((odd.choices as Json[])[0].finish_reason, "eos_token");
});

test("P5.8 the result shares nothing with the chunks and is rebuilt on each call", () => {
  const accumulator = new ChatCompletionsAccumulator();
  const first = chunk({ content: "a" }, { prompt_filter_results: [{ prompt_index: 0 }] });
  accumulator.add(first);
  const result = accumulator.result();
  ((first.prompt_filter_results as Json[])[0] as Json).prompt_index = 9;
  assert.deepEqual(result.prompt_filter_results, [{ prompt_index: 0 }]);
  accumulator.add(chunk({ content: "b" }));
  assert.equal(((accumulator.result().choices as Json[])[0].message as Json).content, "ab");
  assert.equal(((result.choices as Json[])[0].message as Json).content, "a");
});

test("P5.8 a __proto__ key from the wire is data, never a prototype", () => {
  const accumulator = new ChatCompletionsAccumulator();
  accumulator.add(
    JSON.parse('{"__proto__":{"polluted":true},"choices":[{"index":0,"delta":{"content":"a"}}]}'),
  );
  const result = accumulator.result();
  assert.equal(Object.getPrototypeOf(result), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(result, "__proto__")?.value, { polluted: true });
});

test("P5.8 odd shapes never throw: a choice without delta, choices not an array, null fragments", () => {
  const result = accumulate([
    { choices: [{ index: 0, finish_reason: null }] },
    { choices: "nope" },
    { choices: [null, 3] },
    chunk({ tool_calls: [null, { index: 0, function: null }] }),
  ]);
  assert.deepEqual(calls(result), [{ id: "", type: "function", function: { name: "", arguments: "" } }]);
});

test("P5.8 (issue 11) two whole calls in one delta with neither index nor id stay two calls; nothing is lost", () => {
  const result = accumulate([
    chunk({
      tool_calls: [
        { function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
        { function: { name: "get_time", arguments: '{"zone":"CET"}' } },
      ],
    }),
    chunk({ tool_calls: [{ function: { name: "get_weather", arguments: '{"city":"Rome"}' } }] }),
  ]);
  assert.deepEqual(calls(result), [
    { id: "", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
    { id: "", type: "function", function: { name: "get_time", arguments: '{"zone":"CET"}' } },
    { id: "", type: "function", function: { name: "get_weather", arguments: '{"city":"Rome"}' } },
  ]);
});

test("P5.8 (issue 11) without index or id, fragments with no name continue the last call, and a first name is taken", () => {
  const result = accumulate([
    chunk({ tool_calls: [{ function: { arguments: '{"a":' } }] }),
    chunk({ tool_calls: [{ function: { name: "late", arguments: "1}" } }] }),
    chunk({ tool_calls: [{ function: { name: "", arguments: "" } }] }),
    chunk({ tool_calls: [{ function: { name: "next", arguments: "{}" } }] }),
  ]);
  assert.deepEqual(calls(result), [
    { id: "", type: "function", function: { name: "late", arguments: '{"a":1}' } },
    { id: "", type: "function", function: { name: "next", arguments: "{}" } },
  ]);
});

test("Q2 (issue 11) what the accumulator keeps is copied when added: changing a chunk afterwards changes nothing", () => {
  const accumulator = new ChatCompletionsAccumulator();
  const chunks = [
    chunk(
      { role: "assistant", content: "a", audio: { id: "x", data: "d" } },
      { prompt_filter_results: [{ i: 0 }] },
    ),
    chunk(
      {
        tool_calls: [
          { index: 0, id: "t", function: { name: "f", arguments: "{}", extra: { e: 1 } }, meta: { m: 1 } },
        ],
      },
      {},
      { content_filter_results: { hate: { filtered: false } }, logprobs: { content: [{ token: "a" }] } },
    ),
    chunk({ vendor: { v: 1 } }, { usage: { total_tokens: 3 } }, { finish_reason: "stop" }),
  ];
  for (const each of chunks) accumulator.add(each);
  const before = accumulator.result();
  const scramble = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(scramble);
    else if (typeof value === "object" && value !== null) {
      for (const key of Object.keys(value)) {
        const item = (value as Json)[key];
        if (typeof item === "object" && item !== null) scramble(item);
        else (value as Json)[key] = "changed";
      }
    }
  };
  chunks.forEach(scramble);
  assert.deepEqual(accumulator.result(), before);
});
