// The SSE and accumulation rows of quality.md Q4, measured the way perf-anchors.md §1–2 did:
// the same seeded 10,000-chunk stream (test/support/synthetic-stream.ts), cut into pieces that
// each own their ArrayBuffer, handed to every contender as `new Response(pullStream(pieces)).body`.
// Every contender must return all chunks and exactly the expected content, or the run aborts.
//   npm run bench -- streaming            (full sizes)
//   npm run bench -- streaming --smoke    (tiny sizes, to keep it working)
//
// About the harness's gc() before every run (measured 2026-11-28, Node 20.20, 2 shared cores): a
// full GC with no stream alive frees the hidden classes (maps) of the per-stream objects, and V8
// throws away every optimized function that embedded them ("weak objects" deopts), so each run
// starts by re-optimizing: ~41 functions per run for ours, ~26 for the floor. That adds about the
// same CPU work to every contender (valgrind, instructions per 10,000-chunk run, forced GC vs none:
// ours 490 M vs 304 M, floor 425 M vs 265 M, openai-node 1,013 M vs 704 M), so it compresses the
// ratios of the fast contenders, and on a loaded machine the re-optimization (background threads)
// also shows up as waiting. To see the other method, run the file without the forced GC:
//   npm run build && node --import tsx bench/streaming.bench.ts
import { createParser } from "eventsource-parser";
import { createSseStream } from "@azure/core-sse";
import OpenAI from "openai";
import { Stream } from "openai/core/streaming";
import type { ChatCompletionChunk } from "openai/resources/chat/completions";
import { StreamingChatCompletions, type StreamSource } from "ai-inference";
import { type ContenderResult, compare, smoke, target } from "./support/harness.js";
import { fixedSize } from "../test/support/chunkings.js";
import { syntheticChatStream, type SyntheticStream } from "../test/support/synthetic-stream.js";

const CHUNKS = smoke ? 200 : 10_000;
const BIG_CHUNKS = smoke ? 2_000 : 100_000;
const ROUNDS = smoke ? 2 : 12;
const FIXED_CALLS = smoke ? 5 : 200;

function pullStream(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < pieces.length) controller.enqueue(pieces[i++]);
      else controller.close();
    },
  });
}

const sseHeaders = { "content-type": "text/event-stream" };
const body = (pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> =>
  new Response(pullStream(pieces), { headers: sseHeaders }).body!;

/** Ours over an in-memory StreamSource whose body is the same web stream the others read. */
function ours(pieces: readonly Uint8Array[]): StreamingChatCompletions {
  const source: StreamSource = {
    first: {
      status: 200,
      headers: new Headers(sseHeaders),
      requestId: undefined,
      body: body(pieces),
      close() {},
    },
    reconnect: (failure) => Promise.reject(failure),
    idleTimeoutMs: 120_000,
  };
  return new StreamingChatCompletions(source);
}

function check(name: string, stream: SyntheticStream, chunks: number, content: string): void {
  if (chunks !== stream.chunks || content !== stream.content) {
    throw new Error(
      `${name}: ${chunks} chunks and ${content.length} characters, expected ${stream.chunks} and ${stream.content.length}`,
    );
  }
}

async function oursIterate(stream: SyntheticStream, pieces: readonly Uint8Array[]): Promise<void> {
  const text: string[] = [];
  let chunks = 0;
  for await (const update of ours(pieces)) {
    chunks++;
    const piece = update.choices?.[0]?.delta?.content;
    if (piece) text.push(piece);
  }
  check("ours", stream, chunks, text.join(""));
}

async function oursFinal(stream: SyntheticStream, pieces: readonly Uint8Array[]): Promise<void> {
  const final = await ours(pieces).finalChatCompletions();
  const content = final.choices[0].message.content ?? "";
  if (content !== stream.content) throw new Error(`ours final: wrong content (${content.length} characters)`);
}

async function openaiStream(stream: SyntheticStream, pieces: readonly Uint8Array[]): Promise<void> {
  const response = new Response(pullStream(pieces), { headers: sseHeaders });
  const text: string[] = [];
  let chunks = 0;
  for await (const chunk of Stream.fromSSEResponse<ChatCompletionChunk>(response, new AbortController())) {
    chunks++;
    const piece = chunk.choices[0]?.delta?.content;
    if (piece) text.push(piece);
  }
  check("openai", stream, chunks, text.join(""));
}

/** The floor: eventsource-parser's callback and JSON.parse, no models, no async iteration. */
async function floor(stream: SyntheticStream, pieces: readonly Uint8Array[]): Promise<void> {
  const reader = body(pieces).getReader();
  const decoder = new TextDecoder();
  const text: string[] = [];
  let chunks = 0;
  const parser = createParser({
    onEvent(event) {
      if (event.data === "[DONE]") return;
      const chunk = JSON.parse(event.data);
      chunks++;
      const piece = chunk.choices[0]?.delta?.content;
      if (piece) text.push(piece);
    },
  });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  check("floor", stream, chunks, text.join(""));
}

async function coreSse(stream: SyntheticStream, pieces: readonly Uint8Array[]): Promise<void> {
  const text: string[] = [];
  let chunks = 0;
  for await (const event of createSseStream(body(pieces))) {
    if (event.data === "[DONE]") continue;
    chunks++;
    const piece = JSON.parse(event.data).choices[0]?.delta?.content;
    if (piece) text.push(piece);
  }
  check("core-sse", stream, chunks, text.join(""));
}

const ratioOf = (results: ContenderResult[], name: string): number =>
  results.find((r) => r.name === name)!.ratio;

// ---- the stream -------------------------------------------------------------------------------

const stream = syntheticChatStream(CHUNKS);
const KB1 = fixedSize(stream.bytes, 1024);
const KB64 = fixedSize(stream.bytes, 65536);
const WHOLE = fixedSize(stream.bytes, Infinity);
console.log(`stream: ${stream.chunks} chunks, ${stream.bytes.length} bytes; ${KB1.length} pieces of 1 KB`);

// ---- SSE: bytes → updates, by piece size ------------------------------------------------------

const sse = await compare({
  title: `SSE: bytes → chunk objects, ${stream.chunks} chunks (time ÷ openai Stream, 1 KB reads)`,
  reference: "openai Stream 1 KB",
  rounds: ROUNDS,
  warmupRounds: 3,
  contenders: [
    { name: "ours iterate 1 KB", run: () => oursIterate(stream, KB1) },
    { name: "ours iterate 64 KB", run: () => oursIterate(stream, KB64) },
    { name: "ours iterate one piece", run: () => oursIterate(stream, WHOLE) },
    { name: "ours finalChatCompletions 1 KB", run: () => oursFinal(stream, KB1) },
    { name: "openai Stream 1 KB", run: () => openaiStream(stream, KB1) },
    { name: "openai Stream 64 KB", run: () => openaiStream(stream, KB64) },
    { name: "floor: eventsource-parser + JSON.parse 1 KB", run: () => floor(stream, KB1) },
    { name: "floor: eventsource-parser + JSON.parse 64 KB", run: () => floor(stream, KB64) },
    { name: "floor: eventsource-parser + JSON.parse one piece", run: () => floor(stream, WHOLE) },
    { name: "@azure/core-sse 2.3.0 + JSON.parse 1 KB", run: () => coreSse(stream, KB1) },
  ],
});
const ours1k = ratioOf(sse, "ours iterate 1 KB");
console.log("");
target("ours ÷ openai-node (1 KB reads)", ours1k, "<=", 0.5);
target("ours 64 KB ÷ ours 1 KB", ratioOf(sse, "ours iterate 64 KB") / ours1k, "<=", 1.1);
target("ours one piece ÷ ours 1 KB", ratioOf(sse, "ours iterate one piece") / ours1k, "<=", 1.1);
target(
  "ours speed ÷ floor speed (1 KB)",
  ratioOf(sse, "floor: eventsource-parser + JSON.parse 1 KB") / ours1k,
  ">=",
  0.8,
);
target(
  "finalChatCompletions() ÷ iterating (1 KB)",
  ratioOf(sse, "ours finalChatCompletions 1 KB") / ours1k,
  "<=",
  1.1,
);

// ---- the fixed cost of one streamed call --------------------------------------------------------

const small = syntheticChatStream(10);
const SMALL_PIECES = fixedSize(small.bytes, 1024);
const openai = new OpenAI({
  apiKey: "not-a-key",
  baseURL: "http://localhost:1/v1",
  maxRetries: 0,
  fetch: async () => new Response(pullStream(SMALL_PIECES), { headers: sseHeaders }),
});
const fixed = await compare({
  title: `Fixed cost: ${FIXED_CALLS} streamed calls of ${small.chunks} chunks, in memory (time ÷ openai)`,
  reference: "openai stream() + finalChatCompletion()",
  rounds: ROUNDS,
  contenders: [
    {
      name: "ours new StreamingChatCompletions + finalChatCompletions()",
      run: async () => {
        for (let i = 0; i < FIXED_CALLS; i++) await oursFinal(small, SMALL_PIECES);
      },
    },
    {
      name: "openai stream() + finalChatCompletion()",
      run: async () => {
        for (let i = 0; i < FIXED_CALLS; i++) {
          const final = await openai.chat.completions
            .stream({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
            .finalChatCompletion();
          if (final.choices[0].message.content !== small.content) throw new Error("openai: wrong content");
        }
      },
    },
  ],
});
console.log("");
target("fixed cost per call ÷ openai", fixed[0].ratio, "<=", 0.5);

// ---- accumulation is linear -------------------------------------------------------------------

const big = syntheticChatStream(BIG_CHUNKS);
const BIG_PIECES = fixedSize(big.bytes, 1024);
const linear = await compare({
  title: `Accumulation: finalChatCompletions() at ${stream.chunks} and ${big.chunks} chunks, 1 KB reads (time ÷ ${stream.chunks})`,
  reference: "small",
  rounds: smoke ? 2 : 5,
  contenders: [
    { name: "small", run: () => oursFinal(stream, KB1) },
    { name: "big", run: () => oursFinal(big, BIG_PIECES) },
  ],
});
console.log("");
target(
  `time per chunk at ${big.chunks} ÷ at ${stream.chunks}`,
  ratioOf(linear, "big") / (big.chunks / stream.chunks),
  "<=",
  1.2,
);
