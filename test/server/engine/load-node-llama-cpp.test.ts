import { test } from "node:test";
import assert from "node:assert/strict";
import {
  importNodeLlamaCpp,
  missingNodeLlamaCppMessage,
  nodeLlamaCppVersion,
} from "../../../src/server/engine/load-node-llama-cpp.js";

test("S2.2 a missing node-llama-cpp is reported in one line that says how to install it", async () => {
  const missing = Object.assign(
    new Error("Cannot find package 'node-llama-cpp' imported from /app/server.js"),
    {
      code: "ERR_MODULE_NOT_FOUND",
    },
  );
  await assert.rejects(
    importNodeLlamaCpp(() => Promise.reject(missing)),
    (error: Error) => {
      assert.equal(error.message, missingNodeLlamaCppMessage);
      assert.ok(!error.message.includes("\n"));
      assert.match(error.message, /npm install --save-exact node-llama-cpp@3\.21\.1/);
      assert.equal(error.cause, missing);
      return true;
    },
  );
  assert.equal(nodeLlamaCppVersion, "3.21.1");
});

test("S2.2 other load failures pass through unchanged", async () => {
  const broken = new Error("native binding failed");
  await assert.rejects(
    importNodeLlamaCpp(() => Promise.reject(broken)),
    (error) => error === broken,
  );
  const otherMissing = Object.assign(new Error("Cannot find package 'lifecycle-utils'"), {
    code: "ERR_MODULE_NOT_FOUND",
  });
  await assert.rejects(
    importNodeLlamaCpp(() => Promise.reject(otherMissing)),
    (error) => error === otherMissing,
  );
});

test("S2.2 the installed node-llama-cpp loads", async () => {
  const module = await importNodeLlamaCpp();
  assert.equal(typeof module.getLlama, "function");
  assert.equal(typeof module.LlamaChat, "function");
});
