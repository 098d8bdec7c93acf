// POST /embeddings (protocol.md P1): vectors as numbers, or base64 of little-endian float32.
import { randomUUID } from "node:crypto";
import type { Handler, MiddlewareHandler } from "hono";
import type { Engine } from "../engine/engine.js";
import { abortedError } from "../http-error.js";
import { type EmbeddingsRequest, readEmbeddingsRequest } from "../request/embeddings-request.js";
import type { ServerEnv } from "../server-env.js";

/** Validates the body (400s happen before capacity is asked). */
export function readEmbeddings(): MiddlewareHandler<ServerEnv> {
  return async (c, next) => {
    c.set("prepared", readEmbeddingsRequest(c.get("body"), c.req.raw.headers));
    return next();
  };
}

export function embeddings(engine: Engine): Handler<ServerEnv> {
  return async (c) => {
    const request = c.get("prepared") as EmbeddingsRequest;
    const signal = c.get("workSignal");
    const result = await engine.embed(request.engineRequest, { signal }).catch((error: unknown) => {
      throw signal.aborted ? abortedError(signal) : error;
    });
    c.set("usage", { promptTokens: result.promptTokens, completionTokens: 0 });
    return c.json({
      id: `embd-${randomUUID().replaceAll("-", "")}`,
      object: "list",
      data: result.vectors.map((vector, index) => ({
        object: "embedding",
        index,
        embedding: request.encodingFormat === "base64" ? toBase64(vector) : vector,
      })),
      model: engine.info.modelName,
      usage: { prompt_tokens: result.promptTokens, total_tokens: result.promptTokens },
    });
  };
}

function toBase64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString("base64");
}
