// GET /info (the Model Inference API's model info, P6) and GET /v1/models (the OpenAI list).
import type { Handler } from "hono";
import type { Engine } from "../engine/engine.js";
import type { ServerEnv } from "../server-env.js";

export function info(engine: Engine): Handler<ServerEnv> {
  return (c) =>
    c.json({
      model_name: engine.info.modelName,
      model_type: engine.info.modelType,
      model_provider_name: engine.info.modelProviderName,
    });
}

export function models(engine: Engine, createdSeconds: number): Handler<ServerEnv> {
  return (c) =>
    c.json({
      object: "list",
      data: [
        { id: engine.info.modelName, object: "model", created: createdSeconds, owned_by: "ai-inference" },
      ],
    });
}
