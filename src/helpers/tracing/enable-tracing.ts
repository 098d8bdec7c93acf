// Which calls are traced, and how (docs/tracing.md): the settings of `enableTracing()`, the
// client's own `tracing` option over them, and the one instrumentation that `ai-inference/tracing`
// registers with the clients' hook.
import { type TracerProvider, context, trace } from "@opentelemetry/api";
import {
  type CallObserver,
  type ClientInstrumentation,
  type InstrumentedCall,
  type InstrumentedRun,
  type RunObserver,
  registerInstrumentation,
} from "../../client/instrumentation.js";
import { type EnvironmentVariables, processEnvironment } from "../../internal/environment.js";
import { SDK_VERSION } from "../../internal/version.js";
import { startCallSpan } from "./call-span.js";
import { RunTrace } from "./run-span.js";
import { CONTENT_RECORDING_ENV, SCHEMA_URL } from "./semconv.js";

/** Options of `enableTracing()`. */
export interface EnableTracingOptions {
  /**
   * Records message content (prompts, answers, tool definitions, tool calls and their arguments)
   * on spans. A client's `tracing.recordContent` wins over it. Unset, the environment variable
   * `AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED=true` switches it on. @default false
   */
  recordContent?: boolean;
  /** Where spans go. @default the global tracer provider of `@opentelemetry/api` */
  tracerProvider?: TracerProvider;
  /**
   * Where `AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED` is read (at each traced call).
   * @default `process.env` where it exists, else nothing
   */
  env?: EnvironmentVariables;
  /**
   * `all`: every client traces, except those created with `tracing: { enabled: false }`.
   * `opted-in`: only clients created with `tracing: { enabled: true }`. @default "all"
   */
  clients?: "all" | "opted-in";
}

interface Settings {
  readonly clients: "all" | "opted-in";
  readonly recordContent: boolean | undefined;
  readonly tracerProvider: TracerProvider | undefined;
  readonly env: EnvironmentVariables | undefined;
}

/** As loaded: only clients that ask (`tracing: { enabled: true }`) trace. */
const DEFAULTS: Settings = Object.freeze({
  clients: "opted-in",
  recordContent: undefined,
  tracerProvider: undefined,
  env: processEnvironment(),
});
let settings: Settings = DEFAULTS;

const OPTION_KEYS = new Set(["recordContent", "tracerProvider", "env", "clients"]);

/**
 * Traces the calls of every client (or, with `clients: "opted-in"`, of the clients created with
 * `tracing: { enabled: true }`) as OpenTelemetry spans following the GenAI semantic conventions
 * (docs/tracing.md). Calling it again replaces the settings. Needs `@opentelemetry/api`.
 * @example
 * import { enableTracing } from "ai-inference/tracing";
 * enableTracing({ recordContent: false }); // before or after creating clients
 */
export function enableTracing(options: EnableTracingOptions = {}): void {
  if (typeof options !== "object" || options === null)
    throw new TypeError("enableTracing(options): options must be an object.");
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key))
      throw new TypeError(
        `enableTracing(): unknown option "${key}" (known: ${[...OPTION_KEYS].join(", ")}).`,
      );
  }
  const { recordContent, tracerProvider, env, clients = "all" } = options;
  if (recordContent !== undefined && typeof recordContent !== "boolean") {
    throw new TypeError("enableTracing(): recordContent must be true or false.");
  }
  if (tracerProvider !== undefined && typeof tracerProvider?.getTracer !== "function") {
    throw new TypeError(
      "enableTracing(): tracerProvider must be an OpenTelemetry TracerProvider (with getTracer).",
    );
  }
  if (env !== undefined && (typeof env !== "object" || env === null)) {
    throw new TypeError("enableTracing(): env must be an object of environment variables.");
  }
  if (clients !== "all" && clients !== "opted-in") {
    throw new TypeError('enableTracing(): clients must be "all" or "opted-in".');
  }
  settings = Object.freeze({ clients, recordContent, tracerProvider, env: env ?? processEnvironment() });
  // Again, in case something else registered since this module was loaded.
  registerInstrumentation(tracingInstrumentation);
}

/** Undoes `enableTracing()`: back to the settings as loaded (only `tracing: { enabled: true }` clients trace). */
export function disableTracing(): void {
  settings = DEFAULTS;
}

function contentRecordingFromEnv(env: Settings["env"]): boolean {
  return env?.[CONTENT_RECORDING_ENV]?.trim().toLowerCase() === "true";
}

/** The instrumentation registered for every client: decides per call, then starts its span. */
export const tracingInstrumentation: ClientInstrumentation = {
  startCall(call: InstrumentedCall): CallObserver | undefined {
    const current = settings;
    const enabled = call.tracing?.enabled ?? current.clients === "all";
    if (!enabled) return undefined;
    const recordContent =
      call.tracing?.recordContent ?? current.recordContent ?? contentRecordingFromEnv(current.env);
    const provider = current.tracerProvider ?? trace.getTracerProvider();
    const tracer = provider.getTracer("ai-inference", SDK_VERSION, { schemaUrl: SCHEMA_URL });
    // A call made by a tool run is a child of the run's span (created by its first traced call).
    const run = RunTrace.active();
    const parent = run === undefined ? context.active() : run.parentFor(tracer, call, recordContent);
    return startCallSpan(tracer, call, recordContent, parent);
  },
  startRun(run: InstrumentedRun): RunObserver {
    return new RunTrace(run, context.active()).observer();
  },
};
