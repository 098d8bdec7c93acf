// What a router does after a failed attempt (issue 14), as pure functions like the client's retry
// policy (retry-policy.ts): whether the call moves to another deployment, and how long the failed
// deployment cools down. The loop that sends and waits is in router-core.ts.
import type { RetryWaitSource } from "../../errors.js";
import { type AttemptFailure, type RetrySettings, backoffMs, parseRetryAfter } from "../retry-policy.js";

/** How a failure weighs on the call and on its deployment. */
export interface FailureVerdict {
  /** Whether the call may try another deployment (or this one again once it has cooled down). */
  readonly failover: boolean;
  /** How long the deployment stays out of rotation, and what said so; none when the deployment is fine. */
  readonly cooldown?: { readonly ms: number; readonly source: Exclude<RetryWaitSource, "failover"> };
}

/**
 * Statuses that say the deployment, not the request, is at fault: overloaded or failing (408, 5xx)
 * or misconfigured (401, 403: a wrong key; 404: a missing deployment). Any other 4xx is the
 * request's fault: every deployment would refuse it alike.
 */
export function isDeploymentFault(statusCode: number): boolean {
  return (
    statusCode === 408 ||
    statusCode === 401 ||
    statusCode === 403 ||
    statusCode === 404 ||
    (statusCode >= 500 && statusCode <= 599)
  );
}

/**
 * Judges one failed attempt. `failures` counts this deployment's failures in a row, this one
 * included (1 for the first), so that the backoff grows while they repeat.
 */
export function judgeFailure(
  failure: AttemptFailure,
  failures: number,
  settings: RetrySettings,
  context: { readonly nowMs: number; readonly random: number },
): FailureVerdict {
  const backoff = () => ({ ms: backoffMs(failures, settings, context.random), source: "backoff" as const });
  switch (failure.kind) {
    case "status": {
      const status = failure.statusCode;
      if (status === 429) {
        // Cooling lasts as long as the service asked, even past maxRetryDelayMs: the deployment is
        // out of rotation until then; whether the call waits for it is decided when choosing.
        const asked = parseRetryAfter(failure.header, context.nowMs);
        return { failover: true, cooldown: asked ?? backoff() };
      }
      if (isDeploymentFault(status)) return { failover: true, cooldown: backoff() };
      return { failover: false };
    }
    case "connection-error":
    case "timeout":
      return { failover: true, cooldown: backoff() };
    case "broken-response":
      // The deployment did the work and then the connection broke: it is suspect, but the call is
      // not sent again (the client's own rule, P4.1).
      return { failover: false, cooldown: backoff() };
    case "aborted":
      return { failover: false };
  }
}
