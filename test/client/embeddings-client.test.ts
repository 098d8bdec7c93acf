// P1.9, P6: the embeddings clients, model info and loadClient over loopback.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AzureKeyCredential,
  ChatCompletionsClient,
  EmbeddingsClient,
  EmbeddingsResult,
  ImageEmbeddingInput,
  ImageEmbeddingsClient,
  ModelInfo,
  ResourceNotFoundError,
  loadClient,
} from "../../src/index.js";
import { type ReplyPlan, useLoopbackServer } from "../support/loopback-server.js";
import { startReplay } from "../support/replay.js";
import { transports } from "../support/transports.js";

const embeddings = {
  id: "e1",
  model: "embed-english-v3.0",
  data: [{ index: 0, embedding: [0.25, -0.5] }],
  usage: { prompt_tokens: 3, total_tokens: 3 },
  object: "list",
};
const info = (type: string): ReplyPlan => ({
  body: { model_name: "m", model_type: type, model_provider_name: "p" },
});

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    test("P1.9 embed() posts typed options as wire names to /embeddings and returns an EmbeddingsResult", async (t) => {
      const server = await useLoopbackServer(t, { body: embeddings });
      const client = new EmbeddingsClient(server.url, new AzureKeyCredential("k"), {
        ...transport.options,
        defaults: { dimensions: 2 },
      });
      const result = await client.embed({
        input: ["hello"],
        encodingFormat: "float",
        inputType: "query",
        modelExtras: { truncate: "END" },
      });
      assert.ok(result instanceof EmbeddingsResult);
      assert.deepEqual(result.asDict(), embeddings);
      const [sent] = server.requests;
      assert.equal(sent.path, "/embeddings");
      assert.deepEqual(sent.json(), {
        input: ["hello"],
        dimensions: 2,
        encoding_format: "float",
        input_type: "query",
        truncate: "END",
      });
      assert.equal(sent.headers["extra-parameters"], "pass-through");
    });

    test("P1.9 image embed() posts to /images/embeddings with models or wire objects as input", async (t) => {
      const server = await useLoopbackServer(t, { body: embeddings });
      const client = new ImageEmbeddingsClient(server.url, null, transport.options);
      const png = new ImageEmbeddingInput({ image: "data:image/png;base64,iVBORw0KGgo=", text: "a dot" });
      await client.embed({ input: [png, { image: "data:image/png;base64,AAAA" }] });
      assert.equal(server.requests[0].path, "/images/embeddings");
      assert.deepEqual(server.requests[0].json(), {
        input: [
          { image: "data:image/png;base64,iVBORw0KGgo=", text: "a dot" },
          { image: "data:image/png;base64,AAAA" },
        ],
      });
    });

    test("P1.9 embed({ body }) sends a raw body exactly", async (t) => {
      const server = await useLoopbackServer(t, { body: embeddings });
      const client = new EmbeddingsClient(server.url, null, {
        ...transport.options,
        defaults: { dimensions: 2 },
      });
      await client.embed({ body: '{"input":["x"]}' });
      assert.equal(server.requests[0].text, '{"input":["x"]}');
      await assert.rejects(client.embed({ body: {}, input: ["x"] } as never), TypeError);
    });

    test("P6.1 getModelInfo() reads /info once and caches the result per client", async (t) => {
      const server = await useLoopbackServer(t, info("chat_completion"));
      const client = new ChatCompletionsClient(server.url, null, transport.options);
      const first = await client.getModelInfo();
      const second = await client.getModelInfo();
      assert.ok(first instanceof ModelInfo);
      assert.equal(first, second);
      assert.equal(first.modelType, "chat_completion");
      assert.equal(server.requests.length, 1);
      assert.equal(server.requests[0].method, "GET");
      assert.equal(server.requests[0].url, "/info?api-version=2024-05-01-preview");
      assert.equal(server.requests[0].headers["content-type"], undefined);
    });

    test("P6.1 a 404 from /info ends with the P6.1 sentence, after the service's text (recorded Azure OpenAI)", async (t) => {
      const replay = await startReplay(t, "test_get_model_info_on_aoai_endpoint");
      const client = new ChatCompletionsClient(replay.endpoint, new AzureKeyCredential("k"), {
        ...transport.options,
        apiVersion: "yyyy-mm-dd-preview",
      });
      const error = await client.getModelInfo().catch((e: unknown) => e);
      assert.ok(error instanceof ResourceNotFoundError);
      assert.equal(
        error.message,
        "404 Resource not found Model information is not available on this endpoint (/info route not supported).",
      );
      replay.verify();
    });

    test("P6.1 a failed /info is not cached", async (t) => {
      const server = await useLoopbackServer(t, { status: 500, body: "oops" }, info("embedding"));
      const client = new EmbeddingsClient(server.url, null, { ...transport.options, maxRetries: 0 });
      await assert.rejects(client.getModelInfo());
      assert.equal((await client.getModelInfo()).modelType, "embedding");
    });

    for (const [type, clientClass] of [
      ["chat_completion", ChatCompletionsClient],
      ["Chat-Completions", ChatCompletionsClient],
      ["chat", ChatCompletionsClient],
      ["completion", ChatCompletionsClient],
      ["embeddings", EmbeddingsClient],
      ["embedding", EmbeddingsClient],
      ["text embedding", EmbeddingsClient],
      ["TEXT_EMBEDDINGS", EmbeddingsClient],
      ["image_embeddings", ImageEmbeddingsClient],
      ["image-embedding", ImageEmbeddingsClient],
    ] as const) {
      test(`P6.2 loadClient returns a ${clientClass.name} for model type "${type}", its cache pre-filled`, async (t) => {
        const server = await useLoopbackServer(t, info(type));
        const client = await loadClient(server.url, null, transport.options);
        assert.ok(client instanceof clientClass, client.constructor.name);
        assert.equal((await client.getModelInfo()).modelType, type);
        assert.equal(server.requests.length, 1);
      });
    }

    test("P6.2 loadClient throws for another model type, naming it", async (t) => {
      const server = await useLoopbackServer(t, info("image_generation"));
      await assert.rejects(loadClient(server.url, null, transport.options), /"image_generation"/);
    });

    test("P6.2 loadClient on Azure OpenAI (no /info) rejects with the P6.1 error (recorded)", async (t) => {
      const replay = await startReplay(t, "test_load_client_on_aoai_endpoint");
      await assert.rejects(
        loadClient(replay.endpoint, new AzureKeyCredential("k"), {
          ...transport.options,
          apiVersion: "yyyy-mm-dd-preview",
        }),
        ResourceNotFoundError,
      );
      replay.verify();
    });
  });
}

test("P6.2 loadClient reports caller mistakes before any request", async (t) => {
  const server = await useLoopbackServer(t, info("chat"));
  await assert.rejects(loadClient(server.url, null, { bogus: 1 } as never), TypeError);
  await assert.rejects(loadClient(server.url, undefined as never), TypeError);
  assert.equal(server.requests.length, 0);
});
