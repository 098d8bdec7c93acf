// quality.md Q1 items 1–9 and the stream side of 12, each reproduced byte for byte and fed to the
// stream directly (the loopback versions of the same bytes belong to the client's tests).
import { test } from "node:test";
import assert from "node:assert/strict";
import { HttpResponseError, ServiceResponseError } from "../../src/errors.js";
import { StreamingChatCompletions } from "../../src/streaming/stream.js";
import { reset, sourceOf, type Step } from "../support/memory-source.js";

type Json = Record<string, unknown>;
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

async function run(steps: Step[]) {
  const stream = new StreamingChatCompletions(sourceOf(steps));
  const updates: Json[] = [];
  let error: unknown;
  try {
    for await (const update of stream) updates.push(update.asDict());
  } catch (e) {
    error = e;
  }
  const final = error === undefined ? (await stream.finalChatCompletions()).asDict() : undefined;
  return { updates, final, error };
}
const choice = (final: Json | undefined): Json => (final!.choices as Json[])[0];
const message = (final: Json | undefined): Json => choice(final).message as Json;

test("Q1.1 a multi-byte character split across two reads in the middle of an SSE line", async () => {
  const bytes = utf8('data: {"choices":[{"index":0,"delta":{"content":"日本 🚀"}}]}\n\n');
  const inside = [bytes.indexOf(0xe6) + 1, bytes.indexOf(0xf0) + 2];
  for (const cut of inside) {
    const { final } = await run([bytes.slice(0, cut), bytes.slice(cut)]);
    assert.equal(message(final).content, "日本 🚀", `cut at ${cut}`);
  }
});

test("Q1.2 CRLF and lone-CR endings, pings, event/id/retry lines, data without a space", async () => {
  const text =
    ': ping\r\n\r\nid: 1\r\nretry: 3000\r\nevent: message\r\ndata:{"choices":[{"index":0,"delta":{"content":"a"}}]}\r\n\r\n' +
    ': keep-alive\r\rdata: {"choices":[{"index":0,"delta":{"content":"b"}}]}\r\r' +
    'data:{"choices":[{"index":0,"delta":{"content":"c"}}]}\n\ndata: [DONE]\r\n\r\n';
  const { updates, final } = await run([text]);
  assert.equal(updates.length, 3);
  assert.equal(message(final).content, "abc");
});

test("Q1.2 one event's JSON split over many reads, and many events in one read", async () => {
  const event = 'data: {"id":"x","choices":[{"index":0,"delta":{"content":"split"}}]}\n\n';
  const many = Array.from(
    { length: 40 },
    (_, i) => `data: {"choices":[{"index":0,"delta":{"content":"${i % 10}"}}]}\n\n`,
  ).join("");
  const pieces = [...event].map((ch) => ch);
  const { updates, final } = await run([...pieces, many, "data: [DONE]\n\n"]);
  assert.equal(updates.length, 41);
  assert.equal(message(final).content, "split" + "0123456789".repeat(4));
});

test("Q1.3 the last event without its trailing blank line, then the connection closes", async () => {
  const { updates, final } = await run([
    'data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\n',
    'data: {"choices":[{"index":0,"delta":{"content":"b"},"finish_reason":"stop"}]}',
  ]);
  assert.equal(updates.length, 2);
  assert.equal(message(final).content, "ab");
  assert.equal(choice(final).finish_reason, "stop");
});

test("Q1.4 no [DONE] at all; bytes after [DONE]", async () => {
  const noDone = await run([
    'data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}\n\n',
  ]);
  assert.equal(noDone.error, undefined);
  assert.equal(message(noDone.final).content, "a");
  const after = await run([
    'data: {"choices":[{"index":0,"delta":{"content":"a"}}]}\n\ndata: [DONE]\n\ndata: {"choices":[{"index":0,"delta":{"content":"b"}}]}\n\n',
    "data: not even json\n\n",
  ]);
  assert.equal(after.error, undefined);
  assert.equal(after.updates.length, 1);
  assert.equal(message(after.final).content, "a");
});

test("Q1.5 empty choices with prompt_filter_results first, usage-only last, a choice without delta, usage: null", async () => {
  const text =
    'data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}\n\n' +
    'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}],"id":"c1","created":9,"model":"gpt","usage":null}\n\n' +
    'data: {"choices":[{"index":0,"finish_reason":"stop"}],"id":"c1","created":9,"model":"gpt","usage":null}\n\n' +
    'data: {"choices":[],"id":"c1","created":9,"model":"gpt","usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}\n\n' +
    "data: [DONE]\n\n";
  const { updates, final } = await run([text]);
  assert.equal(updates.length, 4);
  assert.deepEqual(updates[0].choices, []);
  assert.deepEqual(updates[3].choices, []);
  assert.deepEqual(final, {
    id: "c1",
    object: "chat.completion",
    created: 9,
    model: "gpt",
    choices: [{ index: 0, message: { role: "assistant", content: "Hi" }, finish_reason: "stop" }],
    usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
  });
});

test("Q1.6 tool-call deltas: interleaved parallel calls by index, name later, type missing, name: null", async () => {
  const text = [
    '{"index":1,"id":"call_b","type":"function","function":{"name":"lookup","arguments":""}}',
    '{"index":0,"id":"call_a","function":{"arguments":"{\\"q\\":"}}',
    '{"index":1,"function":{"name":null,"arguments":"{\\"id\\":7}"}}',
    '{"index":0,"function":{"name":"search","arguments":"\\"x\\"}"}}',
  ]
    .map((call) => `data: {"choices":[{"index":0,"delta":{"tool_calls":[${call}]}}]}\n\n`)
    .join("");
  const { final } = await run([
    text,
    'data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}\n\n',
  ]);
  assert.deepEqual(message(final).tool_calls, [
    { id: "call_a", type: "function", function: { name: "search", arguments: '{"q":"x"}' } },
    { id: "call_b", type: "function", function: { name: "lookup", arguments: '{"id":7}' } },
  ]);
  assert.equal(choice(final).finish_reason, "tool_calls");
});

test("Q1.6 tool-call deltas: a whole call without index; a first fragment at index 1", async () => {
  const whole = await run([
    'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"{}","name":"now"},"id":"m1"}]},"finish_reason":"tool_calls"}]}\n\n',
  ]);
  assert.deepEqual(message(whole.final).tool_calls, [
    { id: "m1", type: "function", function: { name: "now", arguments: "{}" } },
  ]);
  const atOne = await run([
    'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"c","type":"function","function":{"name":"f","arguments":"{"}}]}}]}\n\n',
    'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"}"}}]}}]}\n\n',
  ]);
  assert.deepEqual(message(atOne.final).tool_calls, [
    { id: "c", type: "function", function: { name: "f", arguments: "{}" } },
  ]);
});

test("Q1.7 a stream that ends without any finish_reason; a finish_reason outside the known list", async () => {
  const none = await run([
    'data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}\n\n',
  ]);
  assert.equal(none.error, undefined);
  assert.equal(choice(none.final).finish_reason, null);
  const odd = await run([
    'data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"eos"}]}\n\n',
  ]);
  assert.equal(choice(odd.final).finish_reason, "eos");
  assert.equal(odd.updates[0].choices && (odd.updates[0].choices as Json[])[0].finish_reason, "eos");
});

test("Q1.8 nullable and absent fields everywhere, and unknown vendor keys", async () => {
  const text =
    'data: {"id":"g1","object":"chat.completion.chunk","created":5,"model":"llama","x_groq":{"id":"req_1"},"service_tier":"auto","obfuscation":"Zx","choices":[{"index":0,"delta":{"role":null,"content":null,"tool_calls":null},"logprobs":null,"finish_reason":null}]}\n\n' +
    'data: {"id":"g1","object":"chat.completion.chunk","created":5,"model":"llama","obfuscation":"Qq","choices":[{"index":0,"delta":{"content":"ok","tool_calls":[]},"logprobs":null,"finish_reason":null}]}\n\n' +
    'data: {"id":"g1","object":"chat.completion.chunk","created":5,"model":"llama","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n';
  const { updates, final } = await run([text]);
  assert.equal(updates[0].x_groq && (updates[0].x_groq as Json).id, "req_1");
  assert.deepEqual(final, {
    id: "g1",
    object: "chat.completion",
    created: 5,
    model: "llama",
    choices: [
      { index: 0, message: { role: "assistant", content: "ok" }, logprobs: null, finish_reason: "stop" },
    ],
    x_groq: { id: "req_1" },
    service_tier: "auto",
    obfuscation: "Zx",
  });
});

test("Q1.9 an error in the middle of a stream: data with error, and event: error", async () => {
  const head = 'data: {"choices":[{"index":0,"delta":{"content":"par"}}]}\n\n';
  const inData = await run([
    head,
    'data: {"error":{"message":"Internal server error","type":"server_error","code":"500"}}\n\n',
  ]);
  assert.ok(inData.error instanceof HttpResponseError);
  assert.equal(inData.error.statusCode, 200);
  assert.equal(inData.error.code, "500");
  assert.equal(inData.error.message, "200 Internal server error");
  assert.equal(inData.error.partial?.choices[0].message.content, "par");
  assert.equal(inData.updates.length, 1);
  const named = await run([
    head,
    'event: error\ndata: {"message":"Overloaded","type":"overloaded_error"}\n\n',
  ]);
  assert.ok(named.error instanceof HttpResponseError);
  assert.equal(named.error.message, "200 Overloaded");
  assert.equal(named.error.partial?.choices[0].message.content, "par");
});

test("Q1.12 the connection reset in the middle of a stream keeps what arrived in partial", async () => {
  const { updates, error } = await run([
    'data: {"id":"r","choices":[{"index":0,"delta":{"role":"assistant","content":"Once upon"}}]}\n\n',
    'data: {"choices":[{"index":0,"delta":{"content":" a time"}}]}\n\ndata: {"choices":[{"index":0,"del',
    reset("ECONNRESET"),
  ]);
  assert.equal(updates.length, 2);
  assert.ok(error instanceof ServiceResponseError);
  assert.match(error.message, /ECONNRESET/);
  assert.deepEqual(error.partial?.asDict(), {
    id: "r",
    object: "chat.completion",
    created: 0,
    model: "",
    choices: [{ index: 0, message: { role: "assistant", content: "Once upon a time" }, finish_reason: null }],
  });
});
