// One contender of bench/streams-memory.bench.ts in a fresh process (node --expose-gc): a warm-up
// wave, then the RSS after a full GC, then one wave of N concurrent streams read to the end, every
// stream checked (chunk count and content). Prints the RSS before, the peak during the wave (the
// kernel's high-water mark and our own 20 ms samples, whichever is higher), and the growth per
// stream, as JSON. Plain JavaScript (no loader), so that nothing but the contender is measured.
import { createParser } from "eventsource-parser";
import { clearInterval, setInterval, setTimeout } from "node:timers";
import { TextDecoder } from "node:util";

const [name, port, streamsText, chunksText, contentFile] = process.argv.slice(2);
const streams = Number(streamsText);
const chunks = Number(chunksText);
const { readFileSync } = await import("node:fs");
const expected = readFileSync(contentFile, "utf8");
const base = `http://127.0.0.1:${port}`;
const messages = [{ role: "user", content: "Tell me a long story." }];
const KEY = "bench-key-0123456789";

async function makeStream() {
  switch (name) {
    case "ai-inference":
    case "ai-inference (fetch option)": {
      const { ChatCompletionsClient, AzureKeyCredential } = await import("ai-inference");
      const options = name === "ai-inference" ? {} : { fetch: globalThis.fetch };
      const client = new ChatCompletionsClient(base, new AzureKeyCredential(KEY), options);
      return async (wave) => {
        const stream = await client.complete({ messages, stream: true, headers: { "x-bench-wave": wave } });
        let count = 0;
        for await (const update of stream) if (update.choices.length > 0) count++;
        const final = await stream.finalChatCompletions();
        return { count, content: final.choices[0].message.content };
      };
    }
    case "openai": {
      const { default: OpenAI } = await import("openai");
      const client = new OpenAI({ apiKey: KEY, baseURL: base, maxRetries: 0 });
      return async (wave) => {
        const stream = await client.chat.completions.create(
          { model: "m", messages, stream: true },
          { headers: { "x-bench-wave": wave } },
        );
        let count = 0;
        let content = "";
        for await (const chunk of stream) {
          count++;
          content += chunk.choices[0]?.delta?.content ?? "";
        }
        return { count, content };
      };
    }
    case "raw fetch + eventsource-parser": {
      return async (wave) => {
        const res = await globalThis.fetch(`${base}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-bench-wave": wave },
          body: JSON.stringify({ messages, stream: true }),
        });
        return readWithEventsourceParser(res.body);
      };
    }
    case "raw undici + eventsource-parser": {
      const { request } = await import("undici");
      return async (wave) => {
        const res = await request(`${base}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-bench-wave": wave },
          body: JSON.stringify({ messages, stream: true }),
        });
        return readWithEventsourceParser(res.body);
      };
    }
    default:
      throw new Error(`unknown contender ${name}`);
  }
}

async function wave(stream, size) {
  const results = await Promise.all(Array.from({ length: size }, () => stream(String(size))));
  for (const { count, content } of results) {
    if (count !== chunks || content !== expected) {
      throw new Error(
        `${name}: ${count} chunks, ${content.length} characters; expected ${chunks}, ${expected.length}`,
      );
    }
  }
}

const stream = await makeStream();
await wave(stream, 20);
await wave(stream, 20);
globalThis.gc();
await new Promise((resolve) => setTimeout(resolve, 200));
globalThis.gc();
const rssBefore = process.memoryUsage().rss;
const heapBefore = process.memoryUsage();
let sampledPeak = rssBefore;
let heapPeak = 0;
let externalPeak = 0;
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  sampledPeak = Math.max(sampledPeak, usage.rss);
  heapPeak = Math.max(heapPeak, usage.heapTotal);
  externalPeak = Math.max(externalPeak, usage.external);
}, 20);
const start = process.hrtime.bigint();
await wave(stream, streams);
const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
clearInterval(sampler);
const peak = Math.max(sampledPeak, process.resourceUsage().maxRSS * 1024);
console.log(
  JSON.stringify({
    rssBeforeMb: rssBefore / 2 ** 20,
    peakMb: peak / 2 ** 20,
    growthPerStreamKb: (peak - rssBefore) / 1024 / streams,
    wallMs,
    heapTotalGrowthMb: (heapPeak - heapBefore.heapTotal) / 2 ** 20,
    externalGrowthMb: (externalPeak - heapBefore.external) / 2 ** 20,
  }),
);
process.exit(0);

/** The floors' reading: eventsource-parser over a streaming TextDecoder, the chunks parsed. */
async function readWithEventsourceParser(body) {
  let count = 0;
  let content = "";
  const parser = createParser({
    onEvent(event) {
      if (event.data === "[DONE]") return;
      count++;
      content += JSON.parse(event.data).choices[0]?.delta?.content ?? "";
    },
  });
  const decoder = new TextDecoder();
  for await (const piece of body) parser.feed(decoder.decode(piece, { stream: true }));
  return { count, content };
}
