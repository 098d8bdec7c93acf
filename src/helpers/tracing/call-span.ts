// One span per call (docs/tracing.md): started when the call starts, with the request's attributes
// (so that samplers see them); the call's requests run in its context, so HTTP spans nest under
// it; ended once with the result's attributes or the error. A stream's span stays open while the
// stream is read and ends however the stream ends: read to its end, closed early, failed, or
// dropped and garbage-collected.
import {
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  context,
  trace,
} from "@opentelemetry/api";
import type { CallEnd, CallObserver, InstrumentedCall } from "../../client/instrumentation.js";
import { errorType, requestAttributes, responseAttributes } from "./attributes.js";
import { inputMessages, outputMessages, toolDefinitions } from "./content.js";
import { read } from "./read.js";
import { ATTR } from "./semconv.js";

/** Starts the span of `call` (under `parent`, by default the active context) and returns the observer that completes it. */
export function startCallSpan(
  tracer: Tracer,
  call: InstrumentedCall,
  recordContent: boolean,
  parent: Context = context.active(),
): CallObserver {
  const attributes = requestAttributes(call);
  const model = attributes[ATTR.requestModel];
  const name = model === undefined ? call.operation : `${call.operation} ${String(model)}`;
  const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent);
  const startedMs = performance.now();
  const recording = span.isRecording();
  if (recording && recordContent && call.operation === "chat") recordInput(span, call.request);
  const spanContext = trace.setSpan(parent, span);
  let chunks = 0;
  return {
    wrap: (run) => context.with(spanContext, run),
    // A router's attempts each name their deployment: an event per attempt, and the span names the
    // deployment of the last one (the one that served, or failed last).
    attemptEnd: (attempt) => {
      if (!recording || attempt.deployment === undefined) return;
      span.addEvent("ai_inference.router.attempt", {
        [ATTR.routerDeployment]: attempt.deployment,
        "ai_inference.router.attempt": attempt.attempt,
        "ai_inference.router.outcome": String(attempt.outcome),
      });
      span.setAttribute(ATTR.routerDeployment, attempt.deployment);
    },
    update: () => {
      if (chunks++ === 0 && recording) {
        span.setAttribute(ATTR.responseTimeToFirstChunk, (performance.now() - startedMs) / 1000);
      }
    },
    end: (end) => {
      if (recording) recordEnd(span, end, call.stream ? chunks : undefined, recordContent);
      span.end();
    },
  };
}

function recordInput(span: Span, request: Readonly<Record<string, unknown>> | undefined): void {
  if (request === undefined) return;
  span.setAttribute(ATTR.inputMessages, JSON.stringify(inputMessages(request.messages)));
  if (Array.isArray(request.tools) && request.tools.length > 0) {
    span.setAttribute(ATTR.toolDefinitions, JSON.stringify(toolDefinitions(request.tools)));
  }
}

/** What the end of a call adds to its span; `chunks` is set for a stream. */
function recordEnd(span: Span, end: CallEnd, chunks: number | undefined, recordContent: boolean): void {
  const result =
    end.outcome === "success" ? end.result : end.outcome === "abandoned" ? undefined : end.partial;
  if (result !== undefined) {
    span.setAttributes(responseAttributes(result));
    // An embeddings result has no choices: only a chat answer has output messages.
    if (recordContent && Array.isArray(read(result, "choices"))) {
      span.setAttribute(ATTR.outputMessages, JSON.stringify(outputMessages(result, end.outcome === "error")));
    }
  }
  if (chunks !== undefined) {
    span.setAttribute(ATTR.streamChunkCount, chunks);
    span.setAttribute(ATTR.streamEnd, end.outcome === "success" ? "done" : end.outcome);
  }
  if (end.outcome === "error") {
    span.setAttribute(ATTR.errorType, errorType(end.error));
    const message = end.error instanceof Error ? end.error.message : String(end.error);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
  }
}
