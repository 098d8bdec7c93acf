// The state one call carries through the pipeline (pipeline.ts) across its attempts, and what one
// attempt hands back: kept apart so that the pipeline's file holds only what it does.
import type { RetryAttempt } from "../errors.js";
import type { TransportResponse } from "../internal/platform/transport-types.js";
import type { CallObserver } from "./instrumentation.js";
import type { CallSettings } from "./options.js";
import type { AttemptFailure } from "./retry-policy.js";

/** One request as a client hands it to the pipeline. */
export interface PipelineRequest {
  readonly method: "GET" | "POST";
  /** Appended to the endpoint: `/chat/completions`. */
  readonly path: string;
  readonly body: string | Uint8Array | undefined;
  /** Whether to send `extra-parameters: pass-through` (P1.5). */
  readonly passThrough: boolean;
  readonly settings: CallSettings;
  /** A sentence appended to a 404's message (P6.1). */
  readonly notFoundSuffix?: string;
  /** Told of each attempt (docs/tracing.md). */
  readonly observer?: CallObserver;
  /** The `x-ms-client-request-id` to send, when one call spans several pipelines (a router's deployments). */
  readonly requestId?: string;
  /**
   * Told of each failure the retry policy weighs (a status, or a connection failure or timeout before
   * any response byte), before the policy decides: a router cools its deployment down by it.
   */
  readonly onFailure?: (failure: AttemptFailure) => void;
}

/** The state of one call across its attempts. */
export interface Call {
  readonly request: PipelineRequest;
  readonly stream: boolean;
  readonly requestId: string;
  readonly url: string;
  readonly path: string;
  /** `POST https://host/path?query`, redacted, for messages and logs. */
  readonly what: string;
  readonly retries: RetryAttempt[];
  attempt: number;
  attemptStartedMs: number;
  /** Every secret the call's errors and log lines must not show (P3.3), as they stand now. */
  secrets(): readonly string[];
}

/** A 2xx response with the attempt's resources still held (a stream) or released (a body read). */
export interface Success {
  readonly response: TransportResponse;
  readonly text: string | undefined;
  /** For a stream: what its body holds. */
  readonly format: "event-stream" | "json";
  /** Releases what the attempt holds (its timer, its abort link). */
  readonly release: () => void;
  /** Aborts the attempt's request, cutting the connection. */
  readonly abort: () => void;
}

/**
 * How an attempt ended. A failure the retry policy weighs has `failure`; one without is final
 * (an abort, a broken body, a redirect problem, the caller's own callback throwing). Errors are
 * built only when needed, with the call's retry history as it stands then.
 */
export type AttemptResult =
  | { readonly ok: true; readonly success: Success }
  | {
      readonly ok: false;
      readonly failure?: AttemptFailure;
      readonly error: () => Error;
      /** The status, or what failed, for the log line. */
      readonly outcome: number | string;
    };
