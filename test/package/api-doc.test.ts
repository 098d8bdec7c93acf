// style.md 2.7: docs/api.md lists every public export of every subpath with a link to its file,
// and this test compares it with the code, so the public surface changes only on purpose.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
// @ts-expect-error a plain ES module script without declarations
import { apiSurface, renderApiDoc } from "../../scripts/api-surface.mjs";

const root = new URL("../../", import.meta.url);

test("docs/api.md lists exactly the public surface of every subpath (run `node scripts/api-surface.mjs --write`)", () => {
  const documented = readFileSync(new URL("docs/api.md", root), "utf8");
  const surface = apiSurface() as { subpath: string; exports: { name: string }[] }[];
  assert.ok(surface.length >= 6, "every subpath of package.json exports");
  assert.ok(surface.every((s) => s.exports.length > 0));
  assert.equal(documented, renderApiDoc(surface));
});

test("every value export of the SDK entry is in docs/api.md", async () => {
  const documented = readFileSync(new URL("docs/api.md", root), "utf8");
  const entry = await import("../../src/index.js");
  for (const name of Object.keys(entry)) assert.ok(documented.includes(`| \`${name}\` |`), name);
});
