import { test } from "node:test";
import assert from "node:assert/strict";
import { coalesceText } from "../../../src/server/reply/coalesce.js";

test("S1.3 the first piece goes out at once; pieces within the window join the next delta", async () => {
  const written: string[] = [];
  const deltas = coalesceText((text) => written.push(text), 50);
  deltas.push("a");
  assert.deepEqual(written, ["a"], "no wait for the first token");
  deltas.push("b");
  deltas.push("");
  deltas.push("c");
  assert.deepEqual(written, ["a"]);
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.deepEqual(written, ["a", "bc"], "written when the window closes");
});

test("S1.3 flush writes what is pending and cancels the timer; nothing is lost or repeated", async () => {
  const written: string[] = [];
  const deltas = coalesceText((text) => written.push(text), 1000);
  deltas.push("x");
  deltas.push("y");
  deltas.flush();
  deltas.flush();
  assert.deepEqual(written, ["x", "y"]);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(written, ["x", "y"]);
});

test("S1.3 with a zero window every piece is its own delta", () => {
  const written: string[] = [];
  const deltas = coalesceText((text) => written.push(text), 0);
  for (const piece of ["a", "b", "c"]) deltas.push(piece);
  assert.deepEqual(written, ["a", "b", "c"]);
});

test("S1.3 content chunks from the template equal the serialised chunk", async () => {
  const { chatCompletionChunk, contentChunkJson } = await import("../../../src/server/reply/chat-reply.js");
  const identity = { id: "chatcmpl-1", created: 1, model: 'odd "content":"" model' };
  for (const includeUsage of [false, true]) {
    const fast = contentChunkJson(identity, includeUsage);
    for (const text of ["", "plain", 'quote " and \\ and \n', "日本語 🙂", "\u2028"]) {
      assert.equal(
        fast(text),
        JSON.stringify(chatCompletionChunk(identity, { delta: { content: text } }, includeUsage)),
      );
    }
  }
});
