import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import {
  buildTinyModel,
  chatWrapperMetadataKey,
  tinyModelDefaults,
  tinyToolChatWrapperName,
  writeTinyModel,
} from "../../../src/server/engine/tiny-model.js";

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

// Recorded from the reference writer (tiny-gguf-writer.mjs) with the same options, so the port is
// checked byte for byte without the tests reading the reference.
test("S3 the port writes the reference writer's bytes for the same options", () => {
  const referenceDefaults = { punctBias: 0, toolBias: -1000, chatWrapperMarker: false };
  assert.equal(
    sha256(buildTinyModel(referenceDefaults).bytes),
    "f58611fad4e0311dc796cd37b7d283168513a423da18cdfd3c3c810a8467828d",
  );
  assert.equal(
    sha256(buildTinyModel({ punctBias: 6, toolBias: 3, chatWrapperMarker: false }).bytes),
    "0a28f8fe94a445a1db399efd002b99545826c22d715bea01b768c32912755100",
  );
  const varied = {
    seed: 7, embd: 32, layers: 1, ff: 64, heads: 2, kvHeads: 1, ctx: 512, eosBias: -2, banBias: -500,
    punctBias: 1.5, toolBias: 0.25, logitScale: 2, chatTemplate: false, name: "other", chatWrapperMarker: false,
  }; // prettier-ignore
  assert.equal(
    sha256(buildTinyModel(varied).bytes),
    "5eff539099c53dcdf339df5133f2a3dc4ab6d580c4ef410ccb1a810778f4e8c0",
  );
});

test("S3 the defaults: punctuation bias 6, tool-call bias 3, a fixed seed, the wrapper marker", () => {
  assert.equal(tinyModelDefaults.punctBias, 6);
  assert.equal(tinyModelDefaults.toolBias, 3);
  assert.equal(tinyModelDefaults.seed, 1);
  assert.equal(tinyModelDefaults.chatWrapperMarker, true);
  const { bytes, info } = buildTinyModel();
  assert.equal(sha256(bytes), "32e34abb51d0bfc3adbeb2ae6e1a5505ce1548ab40c5e6259d1222bc98dcf9ee");
  assert.equal(info.nVocab, 537);
  assert.equal(info.tensors, 21);
  assert.equal(info.params, 142784);
  assert.ok(info.size > 500_000 && info.size < 700_000, `about 600 KB, not ${info.size}`);
});

test("S3 the same options give the same bytes; another seed gives others", () => {
  assert.deepEqual(buildTinyModel({ seed: 5 }).bytes, buildTinyModel({ seed: 5 }).bytes);
  assert.notEqual(sha256(buildTinyModel({ seed: 5 }).bytes), sha256(buildTinyModel({ seed: 6 }).bytes));
});

test("S3 the file is a GGUF llama.cpp reads, with the ChatML template and the wrapper marker", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tiny-"));
  try {
    const path = join(dir, "tiny.gguf");
    const info = await writeTinyModel(path);
    assert.equal((await readFile(path)).length, info.size);
    const gguf = await readGgufFileInfo(path);
    const metadata = gguf.metadata as Record<string, Record<string, unknown>>;
    assert.equal(gguf.version, 3);
    assert.equal(metadata.general.architecture, "llama");
    assert.equal((metadata.llama as Record<string, unknown>).vocab_size, 537);
    assert.match(String((metadata.tokenizer as Record<string, unknown>).chat_template), /<\|im_start\|>/);
    const [group, key] = chatWrapperMetadataKey.split(".");
    assert.equal(metadata[group][key], tinyToolChatWrapperName);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("S3 bad options are refused, naming the option", () => {
  assert.throws(() => buildTinyModel({ colour: "red" } as never), /Unknown tiny model option "colour"/);
  assert.throws(() => buildTinyModel({ embd: 30, heads: 4 }), /embd must be divisible by heads/);
  assert.throws(() => buildTinyModel({ heads: 4, kvHeads: 3 }), /heads must be divisible by kvHeads/);
  assert.throws(() => buildTinyModel({ layers: 0 }), /layers must be a positive integer/);
});
