import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import {
  buildTinyModel,
  chatWrapperMetadataKey,
  layOutTinyModel,
  tinyModelDefaults,
  tinyToolChatWrapperName,
  writeTinyModel,
} from "../../../src/server/engine/tiny-model.js";
import { createServer } from "../../../src/server/index.js";
import { tinyModelPath } from "../../support/tiny-model.js";
import { ask, postJson } from "../../support/tiny-server.js";

interface ChatReply {
  choices: { finish_reason: string; message: { content: string } }[];
  usage: { completion_tokens: number };
}

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

// Issue 10: the writer makes the larger random models of the throughput benchmark.
const mediumModel = { embd: 128, layers: 3, ff: 256, heads: 8, kvHeads: 2, eosBias: -1000 };

test("issue 10 the 38.6 M parameter model of the throughput benchmark, laid out without drawing it", () => {
  const { info } = layOutTinyModel({ embd: 768, layers: 6, ff: 2048, heads: 12, kvHeads: 4 });
  assert.equal(info.params, 38_583_552);
  assert.equal(info.tensors, 2 + 6 * 9 + 1);
  assert.equal(info.size, 154_350_368);
});

test("issue 10 writeTinyModel streams tensor by tensor the bytes buildTinyModel makes, leaving no partial file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "tiny-"));
  try {
    const path = join(dir, "medium.gguf");
    const info = await writeTinyModel(path, mediumModel);
    const written = await readFile(path);
    assert.equal(written.length, info.size);
    assert.equal(sha256(written), sha256(buildTinyModel(mediumModel).bytes));
    assert.deepEqual(await readdir(dir), ["medium.gguf"]);
    const metadata = (await readGgufFileInfo(path)).metadata as { llama: Record<string, unknown> };
    assert.equal(metadata.llama.embedding_length, 128);
    assert.equal(metadata.llama.block_count, 3);
    assert.equal(metadata.llama.feed_forward_length, 256);
    assert.equal((metadata.llama.attention as Record<string, unknown>).head_count_kv, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("issue 10 a larger model runs on the real engine and, with end of turn banned, fills max_tokens", async () => {
  await using server = await createServer({ modelPath: await tinyModelPath(mediumModel), log: false });
  const response = await postJson(server.fetch, "/chat/completions", {
    messages: ask("Hello"),
    max_tokens: 24,
    temperature: 0,
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as ChatReply;
  assert.equal(body.usage.completion_tokens, 24);
  assert.equal(body.choices[0].finish_reason, "length");
  assert.ok(body.choices[0].message.content.length > 0);
});

test("issue 10 a tensor too large to draw is refused before anything is written", async () => {
  assert.throws(
    () => layOutTinyModel({ embd: 20_000, heads: 4, ff: 20_000 }),
    /makes a tensor of 400000000 values/,
  );
});
