// Issue 9, "downloads and backpressure": undici 7 crashes the process with `assert(!this.paused)`
// (client-h1.js, nodejs/undici#5360) when its HTTP/1 parser is paused by a slow reader and the
// server then closes the connection. Here a slow consumer reads a large streamed body that the
// server sends whole and ends with `Connection: close`, many times over, with body sizes that move
// where the last read falls. Before the transport read such bodies eagerly this crashed within a
// few dozen rounds; an uncaught exception fails the test that is running.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as delay } from "node:timers/promises";
import { ChatCompletionsClient } from "../../../src/index.js";
import { useLoopbackServer } from "../../support/loopback-server.js";
import { hiMessages } from "../../support/chat-replies.js";
import { transports } from "../../support/transports.js";

const ROUNDS = 40;
const CHUNKS = 300;

/** A small deterministic generator (mulberry32), so that every run plays the same sizes. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole event-stream response with a length and `Connection: close`, ~300 KB of chunks. */
function closingResponse(next: () => number): Buffer {
  let body = "";
  for (let i = 0; i < CHUNKS; i++) {
    const content = "y".repeat(Math.floor(next() * 2000));
    body += `data: {"choices":[{"index":0,"delta":{"content":"${content}"}}]}\n\n`;
  }
  body += "data: [DONE]\n\n";
  const bytes = Buffer.from(body);
  const head =
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n" +
    `content-length: ${bytes.length}\r\nconnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), bytes]);
}

for (const transport of transports) {
  describe(`issue 9 backpressure over ${transport.name}`, () => {
    test(`issue 9 a slow reader of ${ROUNDS} large streams ended by Connection: close survives`, async (t) => {
      const next = random(9);
      const server = await useLoopbackServer(t, (_request, reply) => reply({ raw: closingResponse(next) }));
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      for (let round = 0; round < ROUNDS; round++) {
        const stream = await client.complete({ messages: hiMessages, stream: true });
        // Let the whole body and the server's FIN arrive before reading starts.
        await delay(10);
        let updates = 0;
        for await (const _ of stream) {
          if (++updates % 25 === 0) await delay(1);
        }
        assert.equal(updates, CHUNKS, `round ${round}`);
      }
      assert.equal(server.requests.length, ROUNDS);
    });
  });
}
