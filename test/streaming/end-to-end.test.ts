// quality.md Q1 items 1–9 end to end: each stream written byte for byte by a real node:http server
// on loopback (pauses between writes, so the client's reads split where the pieces do) and read
// through `client.complete({ stream: true })`, on both transports (P1.11). The same bytes fed to the
// stream directly are in quality.test.ts; failures and retries are in end-to-end-failures.test.ts.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { HttpResponseError } from "../../src/index.js";
import { useLoopbackServer } from "../support/loopback-server.js";
import { choiceOf, messageIn, readThrough, ssePlan, streamClient, utf8 } from "../support/read-stream.js";
import { transports } from "../support/transports.js";

type Json = Record<string, unknown>;
const delta = (content: string, extra = "") =>
  `data: {"choices":[{"index":0,"delta":{"content":"${content}"}${extra}}]}\n\n`;

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    const read = async (
      t: Parameters<typeof useLoopbackServer>[0],
      pieces: (string | Uint8Array)[],
      pauseMs = 15,
    ) => {
      const server = await useLoopbackServer(t, ssePlan(pieces, { pauseMs }));
      const result = await readThrough(streamClient(transport, server.url));
      assert.equal(server.requests.length, 1, "one request");
      return result;
    };

    test("Q1.1 a multi-byte character split across two network reads, in the middle of an SSE line", async (t) => {
      const bytes = utf8(
        'data: {"id":"u","choices":[{"index":0,"delta":{"role":"assistant","content":"日本 🚀 é"}}]}\n\n',
      );
      // Inside the 3-byte 日, inside the 4-byte 🚀 (two bytes in), inside the 2-byte é.
      for (const cut of [bytes.indexOf(0xe6) + 1, bytes.indexOf(0xf0) + 2, bytes.indexOf(0xc3) + 1]) {
        assert.equal(bytes[cut] & 0xc0, 0x80, "the cut falls inside a character");
        const { updates, final, error } = await read(t, [bytes.slice(0, cut), bytes.slice(cut)], 40);
        assert.equal(error, undefined);
        assert.equal(updates.length, 1);
        assert.equal(messageIn(final).content, "日本 🚀 é", `cut at ${cut}`);
      }
    });

    test("Q1.2 CRLF and lone-CR endings, comment and keep-alive lines, event/id/retry, data: without a space", async (t) => {
      const { updates, final } = await read(t, [
        ": ping\r\n\r\n",
        'id: 1\r\nretry: 3000\r\nevent: message\r\ndata:{"choices":[{"index":0,"delta":{"content":"a"}}]}\r\n\r\n',
        ': keep-alive\r\rdata: {"choices":[{"index":0,"delta":{"content":"b"}}]}\r',
        "\r",
        'data:{"choices":[{"index":0,"delta":{"content":"c"}}]}\r',
        "\n\r\ndata: [DONE]\r\n\r\n",
      ]);
      assert.equal(updates.length, 3);
      assert.equal(messageIn(final).content, "abc");
    });

    test("Q1.2 several data lines of one event are joined with a line feed", async (t) => {
      const { final } = await read(t, [
        'data: {"choices":[{"index":0,\ndata: "delta":{"content":"x"}}]}\n\n',
      ]);
      assert.equal(messageIn(final).content, "x");
    });

    test("Q1.2 one event's JSON split over many reads", async (t) => {
      const event = 'data: {"id":"x","choices":[{"index":0,"delta":{"content":"split here"}}]}\n\n';
      const pieces = event.match(/.{1,6}/gs)!;
      const { updates, final } = await read(t, [...pieces, "data: [DONE]\n\n"], 3);
      assert.ok(pieces.length > 10);
      assert.equal(updates.length, 1);
      assert.equal(messageIn(final).content, "split here");
      assert.equal(final!.id, "x");
    });

    test("Q1.2 many events in one read", async (t) => {
      const many = Array.from({ length: 200 }, (_, i) => delta(String(i % 10))).join("");
      const { updates, final } = await read(t, [many + "data: [DONE]\n\n"]);
      assert.equal(updates.length, 200);
      assert.equal(messageIn(final).content, "0123456789".repeat(20));
    });

    test("Q1.3 the last event without its trailing blank line, then the connection closes", async (t) => {
      const { updates, final, error } = await read(t, [
        delta("a"),
        'data: {"choices":[{"index":0,"delta":{"content":"b"},"finish_reason":"stop"}]}',
      ]);
      assert.equal(error, undefined);
      assert.equal(updates.length, 2);
      assert.equal(messageIn(final).content, "ab");
      assert.equal(choiceOf(final).finish_reason, "stop");
    });

    test("Q1.4 no [DONE] at all ends the stream normally", async (t) => {
      const { error, final } = await read(t, [delta("a", ',"finish_reason":"stop"')]);
      assert.equal(error, undefined);
      assert.equal(messageIn(final).content, "a");
    });

    test("Q1.4 bytes after [DONE] are ignored", async (t) => {
      const { error, updates, final } = await read(t, [
        delta("a") + "data: [DONE]\n\n" + delta("b"),
        "data: not even json\n\n",
        "event: error\ndata: {}\n\n",
      ]);
      assert.equal(error, undefined);
      assert.equal(updates.length, 1);
      assert.equal(messageIn(final).content, "a");
    });

    test("Q1.5 prompt_filter_results-only first chunk, usage-only last chunk, a choice without delta, usage: null", async (t) => {
      const { updates, final } = await read(t, [
        'data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{}}]}\n\n',
        'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}],"id":"c1","created":9,"model":"gpt","usage":null}\n\n',
        'data: {"choices":[{"index":0,"finish_reason":"stop"}],"id":"c1","created":9,"model":"gpt","usage":null}\n\n',
        'data: {"choices":[],"id":"c1","created":9,"model":"gpt","usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}\n\n',
        "data: [DONE]\n\n",
      ]);
      assert.equal(updates.length, 4, "nothing dropped (P5.5)");
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

    test("Q1.6 tool-call deltas: interleaved parallel calls by index, name later, type missing, name: null", async (t) => {
      const calls = [
        '{"index":1,"id":"call_b","type":"function","function":{"name":"lookup","arguments":""}}',
        '{"index":0,"id":"call_a","function":{"arguments":"{\\"q\\":"}}',
        '{"index":1,"function":{"name":null,"arguments":"{\\"id\\":7}"}}',
        '{"index":0,"function":{"name":"search","arguments":"\\"x\\"}"}}',
      ].map((call) => `data: {"choices":[{"index":0,"delta":{"tool_calls":[${call}]}}]}\n\n`);
      const { final } = await read(t, [
        ...calls,
        'data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}\n\n',
      ]);
      assert.deepEqual(messageIn(final).tool_calls, [
        { id: "call_a", type: "function", function: { name: "search", arguments: '{"q":"x"}' } },
        { id: "call_b", type: "function", function: { name: "lookup", arguments: '{"id":7}' } },
      ]);
      assert.equal(choiceOf(final).finish_reason, "tool_calls");
    });

    test("Q1.6 tool-call deltas: whole calls without index; the first fragment at index 1", async (t) => {
      const whole = await read(t, [
        'data: {"choices":[{"index":0,"delta":{"content":"","tool_calls":[{"function":{"arguments":"{}","name":"now"},"id":"m1"}]}}]}\n\n',
        'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"{\\"a\\":1}","name":"then"},"id":"m2"}]},"finish_reason":"tool_calls"}]}\n\n',
      ]);
      assert.deepEqual(messageIn(whole.final).tool_calls, [
        { id: "m1", type: "function", function: { name: "now", arguments: "{}" } },
        { id: "m2", type: "function", function: { name: "then", arguments: '{"a":1}' } },
      ]);
      const atOne = await read(t, [
        'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"c","type":"function","function":{"name":"f","arguments":"{"}}]}}]}\n\n',
        'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"}"}}]}}]}\n\n',
      ]);
      assert.deepEqual(messageIn(atOne.final).tool_calls, [
        { id: "c", type: "function", function: { name: "f", arguments: "{}" } },
      ]);
    });

    test("Q1.7 a stream without any finish_reason; a finish_reason outside the known list", async (t) => {
      const none = await read(t, [delta("a", ',"finish_reason":null')]);
      assert.equal(none.error, undefined);
      assert.equal(choiceOf(none.final).finish_reason, null);
      const odd = await read(t, [delta("a", ',"finish_reason":"eos"')]);
      assert.equal(choiceOf(odd.final).finish_reason, "eos");
      assert.equal(((odd.updates[0].choices as Json[])[0] as Json).finish_reason, "eos");
    });

    test("Q1.8 nullable and absent fields everywhere, and unknown vendor keys", async (t) => {
      const { updates, final } = await read(t, [
        'data: {"id":"g1","object":"chat.completion.chunk","created":5,"model":"llama","x_groq":{"id":"req_1"},"service_tier":"auto","obfuscation":"Zx","choices":[{"index":0,"delta":{"role":null,"content":null,"tool_calls":null},"logprobs":null,"finish_reason":null}]}\n\n',
        'data: {"id":"g1","object":"chat.completion.chunk","created":5,"model":"llama","obfuscation":"Qq","choices":[{"index":0,"delta":{"content":"ok","tool_calls":[]},"logprobs":null,"finish_reason":null}]}\n\n',
        'data: {"id":"g1","object":"chat.completion.chunk","created":5,"model":"llama","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}\n\n',
      ]);
      assert.deepEqual((updates[0].choices as Json[])[0], {
        index: 0,
        delta: { role: null, content: null, tool_calls: null },
        logprobs: null,
        finish_reason: null,
      });
      assert.equal((updates[0].x_groq as Json).id, "req_1");
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

    test("Q1.9 an error in the middle of a stream (data with a top-level error) is thrown after the updates before it", async (t) => {
      const { updates, error } = await read(t, [
        delta("par"),
        'data: {"error":{"message":"Internal server error","type":"server_error","code":"500"}}\n\n',
        delta("never"),
      ]);
      assert.equal(updates.length, 1);
      assert.ok(error instanceof HttpResponseError, String(error));
      assert.equal(error.statusCode, 200);
      assert.equal(error.code, "500");
      assert.equal(error.message, "200 Internal server error");
      assert.equal(error.partial?.choices[0].message.content, "par");
    });

    test("Q1.9 an event named error in the middle of a stream is thrown, never retried", async (t) => {
      const { updates, error } = await read(t, [
        delta("par"),
        'event: error\ndata: {"message":"Overloaded","type":"overloaded_error"}\n\n',
      ]);
      assert.equal(updates.length, 1);
      assert.ok(error instanceof HttpResponseError, String(error));
      assert.equal(error.message, "200 Overloaded");
      assert.equal(error.partial?.choices[0].message.content, "par");
    });

    test("P5.4 an error event before any update is thrown at once and not retried", async (t) => {
      const { updates, error } = await read(t, ['data: {"error":{"message":"quota","code":"429"}}\n\n']);
      assert.equal(updates.length, 0);
      assert.ok(error instanceof HttpResponseError, String(error));
      assert.equal(error.code, "429");
      assert.equal(error.partial, undefined);
    });
  });
}
