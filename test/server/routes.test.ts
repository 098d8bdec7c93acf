// The other routes (S1.2): embeddings, /info, /v1/models, /health, with the real engine.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { Engine, InferenceServer } from "../../src/server/index.js";
import { postJson, startTinyServer } from "../support/tiny-server.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
let server: InferenceServer;
before(async () => {
  server = await startTinyServer();
});
after(() => server.close());

describe("S1.2 embeddings", () => {
  test("S1.2 /embeddings returns one vector per input, in order, with usage", async () => {
    const response = await postJson(server.fetch, "/embeddings", {
      input: ["hello world", "a cat", "hello world"],
      model: "anything",
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as Json;
    assert.equal(body.object, "list");
    assert.equal(body.model, "tiny-random-llama");
    assert.equal(typeof body.id, "string");
    assert.deepEqual(
      body.data.map((d: Json) => [d.object, d.index]),
      [
        ["embedding", 0],
        ["embedding", 1],
        ["embedding", 2],
      ],
    );
    for (const item of body.data) {
      assert.equal(item.embedding.length, 64);
      assert.ok(item.embedding.every((v: unknown) => typeof v === "number" && Number.isFinite(v)));
    }
    assert.deepEqual(body.data[0].embedding, body.data[2].embedding, "the same text embeds the same");
    assert.notDeepEqual(body.data[0].embedding, body.data[1].embedding);
    assert.ok(body.usage.prompt_tokens >= 3);
    assert.equal(body.usage.total_tokens, body.usage.prompt_tokens);
  });

  test("S1.2 a single string input and base64 encoding (little-endian float32)", async () => {
    const floats = (await (await postJson(server.fetch, "/v1/embeddings", { input: "sun" })).json()) as Json;
    const base64 = (await (
      await postJson(server.fetch, "/embeddings", {
        input: "sun",
        encoding_format: "base64",
        dimensions: 64,
        input_type: "query",
      })
    ).json()) as Json;
    const bytes = Buffer.from(base64.data[0].embedding, "base64");
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    assert.deepEqual(
      decoded,
      floats.data[0].embedding.map((v: number) => Math.fround(v)),
    );
  });
});

describe("S1.2 info, models, health", () => {
  test("S1.2 /info gives the model info (P6)", async () => {
    for (const path of ["/info", "/v1/info", "/info?api-version=2024-05-01-preview"]) {
      const response = await server.fetch(path);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {
        model_name: "tiny-random-llama",
        model_type: "chat_completion",
        model_provider_name: "llama.cpp",
      });
    }
  });

  test("S1.2 /v1/models lists the one model, OpenAI style", async () => {
    const body = (await (await server.fetch("/v1/models")).json()) as Json;
    assert.equal(body.object, "list");
    assert.equal(body.data.length, 1);
    assert.equal(body.data[0].id, "tiny-random-llama");
    assert.equal(body.data[0].object, "model");
    assert.ok(Number.isInteger(body.data[0].created));
  });

  test("S1.2 /health answers ok", async () => {
    const response = await server.fetch("/health");
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: "ok" });
  });

  test("S1.1 the engine's info is reachable and names the context size", () => {
    const { info } = server.engine as Engine; // a token engine here, not a wire engine
    assert.equal(info.contextSize, 2048);
    assert.equal(info.embeddingSize, 64);
  });
});
