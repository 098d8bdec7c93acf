/**
 * ai-inference/tracing: OpenTelemetry spans for the clients' calls, following the GenAI semantic
 * conventions (docs/tracing.md). A separate entry, so that the SDK never loads `@opentelemetry/api`
 * (an optional peer dependency, needed here).
 *
 * Loading this module registers its instrumentation with the clients' hook: from then on, clients
 * created with `tracing: { enabled: true }` trace, and `enableTracing()` makes every client trace.
 * @module
 */
import { registerInstrumentation } from "../../client/instrumentation.js";
import { tracingInstrumentation } from "./enable-tracing.js";

export { enableTracing, disableTracing, type EnableTracingOptions } from "./enable-tracing.js";
export { SEMCONV_VERSION } from "./semconv.js";

registerInstrumentation(tracingInstrumentation);
