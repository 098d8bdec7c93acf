import { test } from "node:test";
import assert from "node:assert/strict";
import { UserMessage } from "../../src/models/index.js";

test("M2.6 positional content", () => {
  assert.deepEqual(new UserMessage("hi").asDict(), { role: "user", content: "hi" });
});
