// Issue 13, structured outputs: what partialObjects() costs. partial-json re-parses the text so far
// at each update; past 64 KB only once it has grown by a sixteenth. Against JSON.parse of each
// prefix's complete form (what a hand-written incremental parser could at best approach, since it
// must still build the value), for a 20 KB answer in 4-character updates and a 400 KB one.
import { Allow, parse as parsePartialJson } from "partial-json";
import { compare, smoke, target } from "./support/harness.js";

const ROUNDS = smoke ? 2 : 7;
const PARTIAL = Allow.ALL ^ Allow.NUM;
const EAGER_LIMIT = 64 * 1024;
let sink = 0;

function answer(items: number): string {
  const list = Array.from({ length: items }, (_, i) => ({
    name: `item ${i}`,
    price: i * 1.5,
    tags: ["a", "b"],
  }));
  return JSON.stringify({ title: "A catalogue", items: list });
}

/** What partialObjects() does per update: re-parse the prefix, with the growth threshold. */
function partialPass(text: string, step: number): void {
  let parsed = 0;
  for (let end = step; end <= text.length + step - 1; end += step) {
    const prefix = text.slice(0, Math.min(end, text.length));
    if (prefix.length > EAGER_LIMIT && prefix.length - parsed < prefix.length / 16) continue;
    parsed = prefix.length;
    sink += JSON.stringify(parsePartialJson(prefix, PARTIAL)).length;
  }
}

let met = true;
for (const [label, items] of [
  ["20 KB", smoke ? 20 : 400],
  ["400 KB", smoke ? 40 : 8000],
] as const) {
  const text = answer(items);
  const results = await compare({
    title: `structured: partialObjects over a ${label} answer (${text.length} chars) in 4-char updates`,
    reference: "JSON.parse of the whole answer",
    rounds: ROUNDS,
    contenders: [
      {
        name: "JSON.parse of the whole answer",
        run: () => void (sink += JSON.stringify(JSON.parse(text)).length),
      },
      { name: "partial-json at every update", run: () => partialPass(text, 4) },
    ],
  });
  const ratio = results.find((r) => r.name === "partial-json at every update")!.ratio;
  const updates = Math.ceil(text.length / 4);
  console.log(`${updates} updates: ${(ratio / updates).toFixed(4)} × one whole parse per update`);
  if (label === "400 KB")
    met = target("400 KB: partial parses ÷ one whole parse (linear past 64 KB)", ratio, "<=", 200) && met;
}
console.log(sink > 0 ? "" : "?");
if (!met) process.exitCode = 1;
