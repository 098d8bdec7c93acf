// Issue 9, "the HTML error-page extractor runs in linear time": the message extractor
// (findServiceMessage, which reduces an HTML page to its text) on pages built to make a regular
// expression backtrack, against a plain page of the same size. Linear time shows as the same time per
// byte whatever the page's size: each contender reads 1 MiB in all, as 16 KiB pages, as 64 KiB pages
// (the most an error keeps, so the largest page the SDK ever gives the extractor) or as one page
// (a user's own call; there the garbage collector's work on a million small strings grows faster
// than the page, so that row is shown but not a target). The extractor that used `/<[^>]+>/g` took
// 7.5 s for a 78 KB page (about 20 minutes for 1 MB); it is not run here.
import { findServiceMessage } from "ai-inference";
import { compare, smoke, target } from "./support/harness.js";

const KiB = 1024;
const total = smoke ? 64 * KiB : 1024 * KiB;
const small = smoke ? 4 * KiB : 16 * KiB;
const large = smoke ? 16 * KiB : 64 * KiB;

/** A page of `size` characters repeating `unit` after an ordinary head. */
function page(size: number, unit: string): string {
  const head = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>";
  return head + unit.repeat(Math.ceil((size - head.length) / unit.length)).slice(0, size - head.length);
}

/** Pages that made the old extractor rescan to the end from every position. */
const hostileUnits: Record<string, string> = {
  "'<' with no '>'": "<",
  "unclosed <script> and <title>": "<script><title>",
  "'<a' runs": "<a <b <c ",
};
const plainUnit = "<p>The upstream server is not answering &amp; will be retried.</p>\n";

let sink = 0;
const read = (pages: readonly string[]) => () => {
  for (const html of pages) sink += findServiceMessage(html)?.length ?? 0;
};
const pages = (unit: string, size: number) => Array.from({ length: total / size }, () => page(size, unit));
const label = (size: number) => `${size / KiB} KiB pages`;

const perByte: number[] = [];
const againstPlain: number[] = [];
for (const [name, unit] of Object.entries(hostileUnits)) {
  const results = await compare({
    title: `HTML error pages, ${name}: 1 MiB read in pages of each size`,
    reference: label(small),
    contenders: [
      { name: label(small), run: read(pages(unit, small)) },
      { name: label(large), run: read(pages(unit, large)) },
      { name: `one ${total / KiB} KiB page`, run: read(pages(unit, total)) },
      { name: `plain ${label(large)}`, run: read(pages(plainUnit, large)) },
    ],
    rounds: smoke ? 2 : 15,
  });
  perByte.push(results[1].ratio);
  againstPlain.push(results[1].ratio / results[3].ratio);
}
console.log(`\n(checksum ${sink})\n`);
target(
  `HTML extractor: time per byte, ${label(large)} ÷ ${label(small)} (worst page)`,
  Math.max(...perByte),
  "<=",
  2,
);
target(`HTML extractor: hostile ÷ plain ${label(large)} (worst page)`, Math.max(...againstPlain), "<=", 4);
