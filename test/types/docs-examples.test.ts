// Issue 11: the documentation's examples compile under strict. test/types/docs/*.types.ts hold
// copies of them that `npm run typecheck` compiles; this test keeps the copies verbatim.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

const root = new URL("../../", import.meta.url);
const copies = new URL("docs/", import.meta.url);

test("M3.6 every type-checked copy of a documentation example is in its page, verbatim", () => {
  let blocks = 0;
  for (const file of readdirSync(copies).filter((name) => name.endsWith(".types.ts"))) {
    const text = readFileSync(new URL(file, copies), "utf8");
    for (const [, page, block] of text.matchAll(
      /\/\/ <doc-block page="([^"]+)">\n([\s\S]*?)\/\/ <\/doc-block>/g,
    )) {
      blocks++;
      const source = readFileSync(new URL(page, root), "utf8");
      assert.ok(source.includes("```ts\n" + block + "```"), `${file}: a block is not in ${page} as written`);
    }
  }
  assert.ok(blocks >= 4, `${blocks} blocks`);
});

test("M3.6 (issue 11) every ts example of the README, docs/models.md and docs/streaming.md is among the copies", () => {
  const all = readdirSync(copies)
    .map((file) => readFileSync(new URL(file, copies), "utf8"))
    .join("\n");
  let examples = 0;
  for (const page of ["README.md", "docs/models.md", "docs/streaming.md"]) {
    for (const [, block] of readFileSync(new URL(page, root), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)) {
      examples++;
      assert.ok(all.includes(block), `${page}: an example is not type-checked:\n${block}`);
    }
  }
  assert.ok(examples >= 8, `${examples} examples`);
});
