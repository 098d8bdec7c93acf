// The routes of a wire engine (engine/wire-engine.ts): the body is parsed and handed over as it is,
// and the engine's reply is written as it comes: a JSON body, or an event stream whose events go
// out one by one as the engine yields them (a gateway passes an upstream stream through as it
// arrives).
import type { Context, Handler } from "hono";
import { abortedError } from "../http-error.js";
import type { WireEngine, WireReply, WireRequest } from "../engine/wire-engine.js";
import { sseReply } from "../reply/sse.js";
import type { ServerEnv } from "../server-env.js";

/** `POST /chat/completions` or `/embeddings` answered by the engine. */
export function wireRoute(engine: WireEngine, operation: "chat" | "embeddings"): Handler<ServerEnv> {
  return async (c) => {
    const signal = c.get("workSignal");
    const request: WireRequest = { body: c.get("body"), headers: c.req.raw.headers, signal };
    const reply = await engine[operation](request).catch((error: unknown) => {
      throw signal.aborted ? abortedError(signal) : error;
    });
    return writeReply(c, reply, signal);
  };
}

/** `GET /info`. */
export function wireInfo(engine: WireEngine): Handler<ServerEnv> {
  return (c) =>
    c.json({
      model_name: engine.info.modelName,
      model_type: engine.info.modelType,
      model_provider_name: engine.info.modelProviderName,
    });
}

/** `GET /v1/models`. */
export function wireModels(engine: WireEngine, createdSeconds: number): Handler<ServerEnv> {
  return (c) =>
    c.json({
      object: "list",
      data: engine.models().map((model) => ({
        id: model.id,
        object: "model",
        created: createdSeconds,
        owned_by: model.ownedBy ?? "ai-inference",
      })),
    });
}

function writeReply(c: Context<ServerEnv>, reply: WireReply, signal: AbortSignal): Response {
  if (!("events" in reply)) {
    const { body } = reply;
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const type = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json";
    return new Response(text, { status: reply.status, headers: { "content-type": type, ...reply.headers } });
  }
  const { response, done } = sseReply(
    async (send, streamSignal) => {
      const events = reply.events[Symbol.asyncIterator]();
      // A reader that leaves stops the source at once, even while it waits for its next event.
      const stop = () => void events.return?.().catch(() => undefined);
      streamSignal.addEventListener("abort", stop, { once: true });
      try {
        for (;;) {
          const step = await events.next();
          if (step.done === true || streamSignal.aborted) return;
          if (!send(step.value)) return;
        }
      } finally {
        streamSignal.removeEventListener("abort", stop);
        if (!streamSignal.aborted) stop();
      }
    },
    { signal, errorBodyOnAbort: !c.get("overHttp") },
  );
  c.set(
    "work",
    done.then((status) => c.set("finalStatus", status)),
  );
  for (const [name, value] of Object.entries(reply.headers ?? {})) response.headers.set(name, value);
  return response;
}
