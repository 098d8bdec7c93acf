// Spans for the tracing tests (docs/tracing.md): the OpenTelemetry SDK's in-memory exporter behind
// a tracer provider, a reader of one span's attributes, and a scan of everything a span carries for
// secrets (quality.md Q3: keys and tokens never reach traces).
import assert from "node:assert/strict";
import { setImmediate as tick } from "node:timers/promises";
import v8 from "node:v8";
import vm from "node:vm";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";

export interface SpanRecorder {
  readonly provider: BasicTracerProvider;
  /** The spans ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  /** The one span ended so far (fails when there is not exactly one). */
  only(): ReadableSpan;
  reset(): void;
}

export function recordSpans(): SpanRecorder {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return {
    provider,
    spans: () => exporter.getFinishedSpans(),
    only() {
      const spans = exporter.getFinishedSpans();
      assert.equal(spans.length, 1, `one span ended (got ${spans.map((s) => s.name).join(", ") || "none"})`);
      return spans[0];
    },
    reset: () => exporter.reset(),
  };
}

/** Every string a span carries: name, attributes, events and their attributes, status, links. */
export function spanTexts(span: ReadableSpan): string[] {
  return [
    span.name,
    JSON.stringify(span.attributes),
    JSON.stringify(span.events),
    JSON.stringify(span.status),
    JSON.stringify(span.links),
    JSON.stringify(span.resource.attributes),
  ];
}

/** Asserts that no span carries any of `secrets`, nor an Authorization or api-key header value. */
export function assertNoSecretsInSpans(spans: readonly ReadableSpan[], secrets: readonly string[]): void {
  assert.ok(spans.length > 0, "there are spans to scan");
  for (const span of spans) {
    for (const text of spanTexts(span)) {
      for (const secret of [...secrets, "Bearer "]) {
        assert.ok(!text.includes(secret), `span ${span.name} carries a secret: ${text.slice(0, 500)}`);
      }
      assert.ok(
        !/authorization|api-key/i.test(text),
        `span ${span.name} names an auth header: ${text.slice(0, 500)}`,
      );
    }
  }
}

/** Runs the garbage collector until `done()` holds (finalizers run in later turns), at most 50 times. */
export async function collectGarbageUntil(done: () => boolean): Promise<void> {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  for (let i = 0; i < 50 && !done(); i++) {
    gc();
    await tick();
  }
}
