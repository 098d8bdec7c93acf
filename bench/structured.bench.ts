// Issue 13, structured outputs: what partialObjects() costs, and why it has a parser of its own.
// An answer streamed in 4-character updates, its partial value read at every update: ours
// (src/helpers/structured-outputs/partial-json.ts: each piece scanned once, the prefix closed and read
// by JSON.parse) against partial-json (the well-kept library, which re-parses the whole prefix in
// JavaScript each time), both against one JSON.parse of the whole answer; and ours as
// partialObjects() reads (every update up to 8 KB, then each time the text has grown by a
// sixteenth). At 400 KB only the latter runs (partial-json would take minutes).
import { Allow, parse as parsePartialJson } from "partial-json";
import { PartialJson } from "../src/helpers/structured-outputs/partial-json.js";
import { compare, smoke, target } from "./support/harness.js";

const ROUNDS = smoke ? 2 : 5;
const EAGER_LIMIT = 8 * 1024;
let sink = 0;

function answer(items: number): string {
  const list = Array.from({ length: items }, (_, i) => ({
    name: `item ${i}`,
    price: i * 1.5,
    tags: ["a", "b"],
  }));
  return JSON.stringify({ title: "A catalogue", items: list });
}

function ours(text: string, everyUpdate: boolean): void {
  const json = new PartialJson();
  let read = 0;
  for (let start = 0; start < text.length; start += 4) {
    json.push(text.slice(start, start + 4));
    const length = json.text.length;
    if (!everyUpdate && length > EAGER_LIMIT && length - read < length / 16) continue;
    read = length;
    const completed = json.completed();
    if (completed !== undefined) sink += (JSON.parse(completed) as { items?: unknown[] }).items?.length ?? 0;
  }
}

function library(text: string): void {
  for (let end = 4; end < text.length + 4; end += 4) {
    const value = parsePartialJson(text.slice(0, end), Allow.ALL ^ Allow.NUM) as { items?: unknown[] };
    sink += value.items?.length ?? 0;
  }
}

const small = answer(smoke ? 20 : 400);
const first = await compare({
  title: `structured: partial values of a ${small.length}-character answer in 4-character updates`,
  reference: "JSON.parse of the whole answer",
  rounds: ROUNDS,
  contenders: [
    { name: "JSON.parse of the whole answer", run: () => void (sink += JSON.parse(small).items.length) },
    { name: "ours, every update", run: () => ours(small, true) },
    { name: "ours, as partialObjects reads", run: () => ours(small, false) },
    { name: "partial-json, every update", run: () => library(small) },
  ],
});
const ratio = (name: string) => first.find((r) => r.name === name)!.ratio;
let met = target(
  "20 KB, every update: ours ÷ partial-json",
  ratio("ours, every update") / ratio("partial-json, every update"),
  "<=",
  0.5,
);
met =
  target(
    "20 KB: as partialObjects reads ÷ one whole parse",
    ratio("ours, as partialObjects reads"),
    "<=",
    2000,
  ) && met;

const big = answer(smoke ? 40 : 8000);
const second = await compare({
  title: `structured: partialObjects over a ${big.length}-character answer (ours, with the growth rule)`,
  reference: "JSON.parse of the whole answer",
  rounds: ROUNDS,
  contenders: [
    { name: "JSON.parse of the whole answer", run: () => void (sink += JSON.parse(big).items.length) },
    { name: "ours, as partialObjects reads", run: () => ours(big, false) },
  ],
});
met = target("400 KB: ours ÷ one whole parse", second[1].ratio, "<=", 100) && met;
console.log(sink > 0 ? "" : "?");
if (!met) process.exitCode = 1;
