// The opt-in log of P3.4: one line per attempt (method, URL without secrets, status, duration, the
// retry decision), bodies only at debug level, and every known secret redacted from all of it.
import { redactText } from "../internal/redact.js";
import type { Logger } from "./options.js";
import type { RetryDecision } from "./retry-policy.js";

/** What a log line says about the call. */
export interface LoggedCall {
  /** `POST https://host/path?query`, already redacted. */
  readonly what: string;
  readonly attempt: number;
  readonly requestId: string;
  /** The call's secrets, redacted from every line. */
  secrets(): readonly string[];
}

const MAX_LOGGED_BODY = 4000;

export class AttemptLog {
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** The request body, at debug level, before an attempt is sent. */
  request(call: LoggedCall, body: string | Uint8Array | undefined): void {
    if (body === undefined) return;
    const text = typeof body === "string" ? body : `(${body.byteLength} bytes)`;
    this.#logger.debug(redact(call, `ai-inference: ${call.what} request body: ${clip(call, text)}`));
  }

  /**
   * The line of one finished attempt: `outcome` is the status, or what failed (`timeout`...).
   * Without a decision the attempt succeeded (info); with one it is retried (warn) or final (error).
   */
  attempt(
    call: LoggedCall,
    outcome: number | string,
    durationMs: number,
    decision: RetryDecision | undefined,
    responseBody?: string,
  ): void {
    let line = `ai-inference: ${call.what} → ${outcome} in ${durationMs} ms (attempt ${call.attempt}, request id ${call.requestId})`;
    if (decision?.retry === true) line += `; retrying in ${decision.waitMs} ms (${decision.waitSource})`;
    else if (decision !== undefined) line += `; not retried (${decision.reason})`;
    const level = decision === undefined ? "info" : decision.retry ? "warn" : "error";
    this.#logger[level](redact(call, line));
    if (responseBody !== undefined) {
      this.#logger.debug(
        redact(call, `ai-inference: ${call.what} response body: ${clip(call, responseBody)}`),
      );
    }
  }
}

function redact(call: LoggedCall, line: string): string {
  return redactText(line, call.secrets());
}

/** A body for the log: redacted before it is cut, since a secret the cut splits is no longer found. */
function clip(call: LoggedCall, body: string): string {
  const text = redactText(body, call.secrets());
  return text.length <= MAX_LOGGED_BODY
    ? text
    : `${text.slice(0, MAX_LOGGED_BODY)}… (${text.length - MAX_LOGGED_BODY} more characters)`;
}
