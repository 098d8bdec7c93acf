// The clients' instrumentation hook (style.md 2.2, docs/tracing.md "The hook"): a small observer
// interface that tracing (src/helpers/tracing/, the `ai-inference/tracing` subpath) or anything else
// attaches to, per client (the `instrumentation` option) or for every client (the registry below).
// The client never imports what observes it. Unused, the hook costs one property read per call.
import type { EmbeddingsResult } from "../models/embeddings.js";
import type { StreamEnd, StreamObserver } from "../streaming/stream-source.js";
import type { EndpointKind } from "./endpoint-kind.js";

/** The client option `tracing` (docs/tracing.md). */
export interface TracingOptions {
  /**
   * `true` traces this client's calls, `false` never does; unset follows `enableTracing()`. Tracing
   * needs `ai-inference/tracing` loaded (and `@opentelemetry/api` installed): with `true` and
   * nothing loaded, calls throw a `TypeError` before sending anything.
   */
  readonly enabled?: boolean;
  /**
   * Records message content (prompts, answers, tool calls and their arguments) on this client's
   * spans. Unset follows `enableTracing({ recordContent })`, then the environment variable
   * `AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED`. @default false
   */
  readonly recordContent?: boolean;
}

/** What an instrumentation learns of a call when it starts (after the call's options were checked). */
export interface InstrumentedCall {
  /** `chat` for `complete()`, `embeddings` for `embed()` of both embeddings clients. */
  readonly operation: "chat" | "embeddings";
  /** The client's class name. */
  readonly clientName: string;
  /** The endpoint as configured, without query or trailing slash (no secret: keys travel in headers). */
  readonly endpoint: string;
  readonly kind: EndpointKind;
  readonly apiVersion: string | null;
  /** Whether the answer is an event stream. */
  readonly stream: boolean;
  /**
   * The request body exactly as sent, parsed: typed options merged over the client's `defaults`,
   * extras included; `undefined` when the body is not JSON. Parsed on first read.
   */
  readonly request: Readonly<Record<string, unknown>> | undefined;
  /** The client's `tracing` option. */
  readonly tracing: TracingOptions | undefined;
}

/** One attempt (one HTTP request) of a call starts: 1 for the first, then one per retry. */
export interface AttemptStart {
  readonly attempt: number;
  /** The `x-ms-client-request-id` sent (the same for every attempt of a call). */
  readonly requestId: string;
  /** The router deployment the attempt goes to (`ai-inference/router`); unset for a client. */
  readonly deployment?: string;
}

/** One attempt ended: a status, or what failed (`timeout`, `connection error`, `aborted`...). */
export interface AttemptEnd extends AttemptStart {
  readonly outcome: number | string;
  readonly durationMs: number;
}

/**
 * How a call ended, once: its result (for a stream, the whole answer accumulated once the stream
 * was read to its end), or its error, or for a stream `closed` (by the caller, before its end) or
 * `abandoned` (dropped without being closed, noticed when garbage-collected).
 */
export type CallEnd = StreamEnd | { readonly outcome: "success"; readonly result: EmbeddingsResult };

/**
 * Observes one call. Every method but `end` is optional. Calls into an observer are guarded: one
 * that throws is ignored and never changes what the caller gets.
 */
export interface CallObserver extends StreamObserver {
  /** Runs the call's requests, e.g. inside a span's context so that HTTP spans nest under it. */
  wrap?<T>(run: () => Promise<T>): Promise<T>;
  attemptStart?(attempt: AttemptStart): void;
  attemptEnd?(attempt: AttemptEnd): void;
  end(end: CallEnd): void;
}

/** Attaches to clients: asked once per call, before anything is sent, for that call's observer. */
export interface ClientInstrumentation {
  /** The call's observer, or `undefined` to leave the call unobserved. */
  startCall(call: InstrumentedCall): CallObserver | undefined;
  /**
   * A tool run (`runTools()`) starts: the observer of the run, whose `wrap` runs each of its
   * requests (so that their calls can be its children), or `undefined`. Only the registered
   * instrumentation is asked (a run has no client option of its own).
   */
  startRun?(run: InstrumentedRun): RunObserver | undefined;
}

/** What an instrumentation learns of a tool run when it starts. */
export interface InstrumentedRun {
  /** The GenAI operation a tool loop is: an agent invocation. */
  readonly operation: "invoke_agent";
  /** The tools offered, by name. */
  readonly tools: readonly string[];
  /** The `model` option, when given. */
  readonly model: string | undefined;
}

/** Observes one tool run; every method but `wrap` and `end` is optional. Guarded like `CallObserver`. */
export interface RunObserver {
  /** Runs one of the run's requests. */
  wrap<T>(run: () => Promise<T>): Promise<T>;
  /** A tool call starts; its observer, or `undefined`. */
  startTool?(call: InstrumentedToolCall): ToolCallObserver | undefined;
  /** The run ended: its summed usage on success, or its error. */
  end(end: RunEnd): void;
}

/** One tool call of a run: its arguments as the model wrote them. */
export interface InstrumentedToolCall {
  readonly name: string;
  readonly id: string | undefined;
  readonly arguments: string | undefined;
  readonly round: number;
}

/** Observes one tool call. */
export interface ToolCallObserver {
  /** Runs the call (checks and `execute`). */
  wrap<T>(run: () => Promise<T>): Promise<T>;
  /** How it ended: its outcome, the text the model gets, and the tool's exception when it threw. */
  end(end: { readonly outcome: string; readonly output: string; readonly error: unknown }): void;
}

/** How a run ended. */
export type RunEnd =
  | {
      readonly outcome: "success";
      readonly usage: { readonly promptTokens: number; readonly completionTokens: number } | undefined;
    }
  | { readonly outcome: "error"; readonly error: unknown };

// On globalThis under a registered symbol rather than in a module variable: each published entry
// is its own bundle (ai-inference, ai-inference/tracing), and both must see the same registry.
const REGISTRY = Symbol.for("ai-inference.instrumentation");
type Registry = { [REGISTRY]?: ClientInstrumentation };

/**
 * Registers the instrumentation of every client that has no `instrumentation` option of its own
 * (one at a time: the last registered wins; `undefined` removes it). `ai-inference/tracing`
 * registers itself here when loaded.
 */
export function registerInstrumentation(instrumentation: ClientInstrumentation | undefined): void {
  if (instrumentation !== undefined) checkInstrumentation(instrumentation, "registerInstrumentation()");
  (globalThis as Registry)[REGISTRY] = instrumentation;
}

/** The registered instrumentation, if any. */
export function registeredInstrumentation(): ClientInstrumentation | undefined {
  return (globalThis as Registry)[REGISTRY];
}

/** Validates the `instrumentation` option (or a registration). */
export function checkInstrumentation(value: unknown, what: string): ClientInstrumentation | undefined {
  if (value === undefined) return undefined;
  if (
    typeof value !== "object" ||
    value === null ||
    typeof (value as ClientInstrumentation).startCall !== "function"
  ) {
    throw new TypeError(`${what} takes an object with a startCall(call) method (see docs/tracing.md).`);
  }
  return value as ClientInstrumentation;
}

/** Validates the `tracing` option and freezes a copy. */
export function checkTracingOption(value: unknown): TracingOptions | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError("tracing must be an object: { enabled?: boolean, recordContent?: boolean }.");
  }
  const { enabled, recordContent, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0)
    throw new TypeError(`tracing: unknown option "${unknown[0]}" (known: enabled, recordContent).`);
  for (const [name, flag] of [
    ["enabled", enabled],
    ["recordContent", recordContent],
  ] as const) {
    if (flag !== undefined && typeof flag !== "boolean")
      throw new TypeError(`tracing.${name} must be true or false.`);
  }
  return Object.freeze({
    enabled: enabled as boolean | undefined,
    recordContent: recordContent as boolean | undefined,
  });
}

/** What `InstrumentedCall` is made from. */
export interface CallDescription {
  readonly operation: "chat" | "embeddings";
  readonly clientName: string;
  readonly endpoint: string;
  readonly kind: EndpointKind;
  readonly apiVersion: string | null;
  readonly stream: boolean;
  readonly body: string | Uint8Array;
  readonly tracing: TracingOptions | undefined;
}

class Call implements InstrumentedCall {
  readonly operation: "chat" | "embeddings";
  readonly clientName: string;
  readonly endpoint: string;
  readonly kind: EndpointKind;
  readonly apiVersion: string | null;
  readonly stream: boolean;
  readonly tracing: TracingOptions | undefined;
  readonly #body: string | Uint8Array;
  #request: Readonly<Record<string, unknown>> | undefined | null = null;

  constructor(description: CallDescription) {
    this.operation = description.operation;
    this.clientName = description.clientName;
    this.endpoint = description.endpoint;
    this.kind = description.kind;
    this.apiVersion = description.apiVersion;
    this.stream = description.stream;
    this.tracing = description.tracing;
    this.#body = description.body;
  }

  get request(): Readonly<Record<string, unknown>> | undefined {
    if (this.#request === null) this.#request = parseBody(this.#body);
    return this.#request;
  }
}

function parseBody(body: string | Uint8Array): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(typeof body === "string" ? body : new TextDecoder().decode(body));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The observer of one call, or `undefined` when nothing instruments it (the common case). Throws
 * `TypeError` when the client asks for tracing (`tracing.enabled: true`) and nothing can trace.
 */
export function startObserving(
  own: ClientInstrumentation | undefined,
  description: CallDescription,
): CallObserver | undefined {
  const instrumentation = own ?? registeredInstrumentation();
  if (instrumentation === undefined) {
    if (description.tracing?.enabled === true) {
      throw new TypeError(
        `${description.clientName}: tracing: { enabled: true } needs the tracing helper: import ` +
          '"ai-inference/tracing" once (it needs @opentelemetry/api installed). See docs/tracing.md.',
      );
    }
    return undefined;
  }
  try {
    return instrumentation.startCall(new Call(description)) ?? undefined;
  } catch {
    return undefined; // an instrumentation's failure never fails the call
  }
}

/** Calls an observer's method; an observer that throws is ignored. */
export function notify<A>(method: ((arg: A) => void) | undefined, observer: object, arg: A): void {
  if (method === undefined) return;
  try {
    method.call(observer, arg);
  } catch {
    // The observer's failure is its own.
  }
}

/**
 * Runs a call under its observer: inside `wrap`, then tells `end` its error, or its result unless
 * `settle` says the observation goes on (a stream, which tells the end itself).
 */
export async function runObserved<T>(
  observer: CallObserver,
  run: () => Promise<T>,
  settle: (value: T) => CallEnd | undefined,
): Promise<T> {
  let value: T;
  try {
    value = observer.wrap === undefined ? await run() : await observer.wrap(run);
  } catch (error) {
    notify(observer.end, observer, { outcome: "error", error, partial: undefined });
    throw error;
  }
  const end = settle(value);
  if (end !== undefined) notify(observer.end, observer, end);
  return value;
}
