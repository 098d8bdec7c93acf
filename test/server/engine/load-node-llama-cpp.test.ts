import { test } from "node:test";
import assert from "node:assert/strict";
import {
  checkDenoPermissions,
  denoPermissions,
  explainDenoRefusal,
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

test("issue 12 a Deno refusal becomes one line naming every permission the engine needs", async () => {
  const refusal = Object.assign(
    new Error('Requires env access to "FORCE_COLOR", run again with the --allow-env flag\n    at stack'),
    { name: "NotCapable" },
  );
  await assert.rejects(
    importNodeLlamaCpp(() => Promise.reject(refusal)),
    (error: Error) => {
      assert.equal(
        error.message,
        `The local model engine needs these Deno permissions: ${denoPermissions} ` +
          '(Requires env access to "FORCE_COLOR", run again with the --allow-env flag).',
      );
      assert.equal(error.cause, refusal);
      return true;
    },
  );
  for (const flag of ["--allow-read", "--allow-env", "--allow-ffi", "--allow-sys", "--allow-run"]) {
    assert.ok(denoPermissions.includes(flag), flag);
  }
  const other = new Error("native binding failed");
  assert.equal(explainDenoRefusal(other), other);
});

test("issue 12 under Deno, missing permissions fail in one line before node-llama-cpp loads", () => {
  const asked: unknown[] = [];
  const deno = (granted: string[]) => ({
    execPath: () => "/usr/bin/deno",
    permissions: {
      querySync(descriptor: { name: string; command?: string }) {
        asked.push(descriptor);
        return { state: granted.includes(descriptor.name) ? "granted" : "prompt" };
      },
    },
  });
  assert.throws(
    () => checkDenoPermissions(deno(["env", "sys"])),
    (error: Error) => {
      assert.equal(
        error.message,
        `The local model engine needs these Deno permissions: ${denoPermissions} (missing: --allow-ffi --allow-run).`,
      );
      return true;
    },
  );
  assert.deepEqual(
    asked.at(-1),
    { name: "run", command: "/usr/bin/deno" },
    "run is asked for Deno's own binary",
  );
  checkDenoPermissions(deno(["env", "sys", "ffi", "run"]));
  checkDenoPermissions(undefined); // not Deno: nothing to check
});
