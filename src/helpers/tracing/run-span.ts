// A tool run (`runTools()`) as one trace (docs/tracing.md "Tool runs"): an `invoke_agent` span, the
// GenAI conventions' agent-invocation operation (a tool loop is an agent's loop), whose children are
// the run's chat spans and one `execute_tool` span per tool call. The run span is created by the
// first chat call of the run that is traced, so that a run whose client is not traced makes no span
// at all; it starts when the run started.
import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  context,
  createContextKey,
  trace,
} from "@opentelemetry/api";
import type {
  InstrumentedCall,
  InstrumentedRun,
  InstrumentedToolCall,
  RunEnd,
  RunObserver,
  ToolCallObserver,
} from "../../client/instrumentation.js";
import { errorType } from "./attributes.js";
import { ATTR, PROVIDER_BY_KIND } from "./semconv.js";

const RUN = createContextKey("ai-inference tool run");
const OPERATION = "invoke_agent";

/** The state of one run, found in the context of its requests. */
export class RunTrace {
  readonly #run: InstrumentedRun;
  readonly #parent: Context;
  readonly #startedAt = Date.now();
  #span: Span | undefined;
  #tracer: Tracer | undefined;
  #recordContent = false;

  constructor(run: InstrumentedRun, parent: Context) {
    this.#run = run;
    this.#parent = parent;
  }

  /** The run in the active context, if a request of a run is being made. */
  static active(): RunTrace | undefined {
    return context.active().getValue(RUN) as RunTrace | undefined;
  }

  /** The parent of a traced chat call of this run: the run's span, created by the first one. */
  parentFor(tracer: Tracer, call: InstrumentedCall, recordContent: boolean): Context {
    if (this.#span === undefined) {
      this.#tracer = tracer;
      this.#recordContent = recordContent;
      const attributes: Attributes = {
        [ATTR.operationName]: OPERATION,
        [ATTR.providerName]: PROVIDER_BY_KIND[call.kind],
      };
      if (this.#run.model !== undefined) attributes[ATTR.requestModel] = this.#run.model;
      this.#span = tracer.startSpan(
        OPERATION,
        { kind: SpanKind.INTERNAL, attributes, startTime: this.#startedAt },
        this.#parent,
      );
    }
    return trace.setSpan(this.#parent, this.#span);
  }

  /** The observer the tool loop gets. */
  observer(): RunObserver {
    return {
      wrap: (work) => context.with(context.active().setValue(RUN, this), work),
      startTool: (call) => this.#startTool(call),
      end: (end) => this.#end(end),
    };
  }

  #startTool(call: InstrumentedToolCall): ToolCallObserver | undefined {
    const runSpan = this.#span;
    if (runSpan === undefined || this.#tracer === undefined) return undefined; // the run is not traced
    const attributes: Attributes = {
      [ATTR.operationName]: "execute_tool",
      [ATTR.toolName]: call.name,
      [ATTR.toolType]: "function",
    };
    if (call.id !== undefined) attributes[ATTR.toolCallId] = call.id;
    if (this.#recordContent && call.arguments !== undefined)
      attributes[ATTR.toolCallArguments] = call.arguments;
    const parent = trace.setSpan(this.#parent, runSpan);
    const span = this.#tracer.startSpan(
      `execute_tool ${call.name}`,
      { kind: SpanKind.INTERNAL, attributes },
      parent,
    );
    const recordContent = this.#recordContent;
    return {
      wrap: (work) => context.with(trace.setSpan(parent, span), work),
      end: ({ outcome, output, error }) => {
        if (recordContent) span.setAttribute(ATTR.toolCallResult, output);
        if (outcome !== "success") {
          // The tool's own exception names its class; the loop's refusals name what happened.
          span.setAttribute(ATTR.errorType, outcome === "tool-error" ? errorType(error) : outcome);
          span.setStatus({ code: SpanStatusCode.ERROR, message: output });
        }
        span.end();
      },
    };
  }

  #end(end: RunEnd): void {
    const span = this.#span;
    if (span === undefined) return;
    if (end.outcome === "success") {
      if (end.usage !== undefined) {
        span.setAttribute(ATTR.usageInputTokens, end.usage.promptTokens);
        span.setAttribute(ATTR.usageOutputTokens, end.usage.completionTokens);
      }
    } else {
      span.setAttribute(ATTR.errorType, errorType(end.error));
      const message = end.error instanceof Error ? end.error.message : String(end.error);
      span.setStatus({ code: SpanStatusCode.ERROR, message });
    }
    span.end();
  }
}
