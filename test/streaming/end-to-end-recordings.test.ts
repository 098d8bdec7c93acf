// Recorded and synthetic streams end to end over real loopback HTTP, on both transports (P1.11):
// every recorded event stream replayed through `client.complete({ stream: true })` and checked
// against its capture (P5.5, P5.8); quality.md Q2 with random sets of cut points (fast-check), always
// including cuts inside multi-byte characters; and P5.6 on the wire (stream_options, usage chunks).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { AzureKeyCredential, ChatCompletionsClient, type StreamingChatCompletions } from "../../src/index.js";
import { useLoopbackServer } from "../support/loopback-server.js";
import { arbitraryCuts, fixedSize, multiByteCuts, splitAt } from "../support/chunkings.js";
import { expectationOf } from "../support/capture-expectations.js";
import { hi, readAll, readThrough, ssePlan, streamClient, utf8 } from "../support/read-stream.js";
import { captureChunks, loadRecording, sseCaptures } from "../support/recordings.js";
import { startReplay } from "../support/replay.js";
import { syntheticChatStream } from "../support/synthetic-stream.js";
import { transports } from "../support/transports.js";

const captures = sseCaptures();
const recordingFiles = [...new Set(captures.map((c) => c.name.split("#")[0]))];

const mixed = utf8(
  ': hi\r\n\r\ndata: {"id":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Grüße, 世界 "}}]}\r\n\r\n' +
    'data: {"choices":[{"index":0,"delta":{"content":"🙂—€","tool_calls":[{"index":0,"id":"t","type":"function","function":{"name":"ö","arguments":"{\\"q\\":\\"日"}}]}}]}\r\r' +
    'data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"本\\"}"}}]},"finish_reason":"tool_calls"}]}\n' +
    "data\n\n" +
    'data: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}',
);
const q2Subjects = [
  { name: "synthetic 14 chunks", bytes: syntheticChatStream(14, 3).bytes },
  { name: "synthetic 40 chunks", bytes: syntheticChatStream(40, 7).bytes },
  { name: "mixed endings and multi-byte", bytes: mixed },
];

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    for (const file of recordingFiles) {
      test(`P5.5 ${file}: replayed over loopback, every chunk one update and the capture's answer`, async (t) => {
        // 61-byte pieces written one by one: events and characters cut everywhere.
        const replay = await startReplay(t, file, { split: (body) => fixedSize(body, 61) });
        const client = new ChatCompletionsClient(replay.endpoint, new AzureKeyCredential("Sanitized"), {
          ...transport.options,
          apiVersion: new URL(replay.recording.entries[0].RequestUri).searchParams.get("api-version"),
        });
        for (const [i, entry] of replay.recording.entries.entries()) {
          const capture = captures.find((c) => c.name === `${file}#${i}`)!;
          // The recorded body, sent exactly (its own "stream": true makes the answer a stream).
          const stream = (await client.complete({
            body: entry.RequestBody as Record<string, unknown>,
          })) as unknown as StreamingChatCompletions;
          const { updates, final, error } = await readAll(stream);
          assert.equal(error, undefined);
          assert.deepEqual(updates, captureChunks(capture), "the updates are the recorded chunks");
          expectationOf(capture).check(final!, updates, capture);
          assert.equal(stream.headers.get("content-type"), capture.headers["Content-Type"]);
        }
        replay.verify({ headers: ["content-type", "extra-parameters"] });
      });
    }

    for (const subject of q2Subjects) {
      test(`Q2 ${subject.name}: random cut points over loopback (with cuts inside characters) change nothing`, async (t) => {
        assert.ok(multiByteCuts(subject.bytes).length > 5, "the subject has characters to cut inside");
        const server = await useLoopbackServer(t, ssePlan([subject.bytes]));
        const client = streamClient(transport, server.url);
        const read = async () => {
          const { updates, final, error } = await readThrough(client);
          assert.equal(error, undefined);
          return JSON.stringify({ updates, final });
        };
        const whole = await read();
        await fc.assert(
          fc.asyncProperty(arbitraryCuts(subject.bytes, 12), async (cuts) => {
            server.reply(ssePlan(splitAt(subject.bytes, cuts), { pauseMs: 2 }));
            assert.equal(await read(), whole);
          }),
          { numRuns: 6 },
        );
      });
    }

    test("P5.6 stream_options.include_usage is sent where it should be, and the usage-only chunk is accumulated", async (t) => {
      const usage = { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 };
      const server = await useLoopbackServer(
        t,
        ssePlan([
          'data: {"id":"u1","created":3,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}],"usage":null}\n\n',
          'data: {"id":"u1","created":3,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}\n\n',
          `data: {"id":"u1","created":3,"model":"m","choices":[],"usage":${JSON.stringify(usage)}}\n\n`,
          "data: [DONE]\n\n",
        ]),
      );
      const cases = [
        { endpoint: `${server.url}/openai/deployments/gpt-4o`, options: {}, sent: true, passThrough: false },
        { endpoint: server.url, options: { apiVersion: null }, sent: true, passThrough: false },
        { endpoint: server.url, options: {}, sent: false, passThrough: false },
        { endpoint: server.url, options: {}, call: { includeUsage: true }, sent: true, passThrough: true },
        {
          endpoint: `${server.url}/openai/deployments/gpt-4o`,
          options: {},
          call: { includeUsage: false },
          sent: false,
          passThrough: false,
        },
      ];
      for (const [i, c] of cases.entries()) {
        const { final, updates } = await readThrough(
          streamClient(transport, c.endpoint, c.options),
          c.call ?? {},
        );
        assert.equal(updates.length, 3);
        assert.deepEqual(final!.usage, usage, `case ${i}: the usage-only chunk is accumulated`);
        const sent = server.requests[i];
        const body = sent.json() as Record<string, unknown>;
        assert.deepEqual(
          body.stream_options,
          c.sent ? { include_usage: true } : undefined,
          `case ${i}: stream_options`,
        );
        assert.equal(sent.headers["extra-parameters"], c.passThrough ? "pass-through" : undefined);
      }
      const raw = (await streamClient(transport, `${server.url}/openai/deployments/x`).complete({
        body: { messages: hi, stream: true } as Record<string, unknown>,
      })) as unknown as StreamingChatCompletions;
      await raw.finalChatCompletions();
      assert.deepEqual(server.requests.at(-1)!.json(), { messages: hi, stream: true }, "a raw body as given");
    });
  });
}

test("Q2 the loopback replays cover every recorded event stream", () => {
  assert.equal(captures.length, 4);
  for (const capture of captures) {
    const [file, index] = capture.name.split("#");
    assert.ok(loadRecording(file).entries[Number(index)], capture.name);
  }
});
