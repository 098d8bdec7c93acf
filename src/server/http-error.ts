// The server's one error type (style.md 2.5): routes, middleware and the engine throw `HttpError`
// anywhere; `renderError` (the app's one `onError`) writes the envelope
// `{"error": {"code", "message", "param"?}}`. Anything else becomes a bare 500 that shows nothing
// of the failure, since an unknown error may carry internals.

/** Error codes the server sends, so clients can branch on them. */
export type HttpErrorCode =
  | "invalid_json"
  | "invalid_request"
  | "unsupported_parameter"
  | "unknown_parameter"
  | "context_length_exceeded"
  | "unauthorized"
  | "not_found"
  | "method_not_allowed"
  | "payload_too_large"
  | "unsupported_media_type"
  | "too_many_requests"
  | "server_busy"
  | "request_aborted"
  | "server_shutting_down"
  | "script_exhausted"
  | "upstream_error"
  | "internal_error";

/** What an `HttpError` is made from. */
export interface HttpErrorInit {
  status: number;
  code: HttpErrorCode;
  message: string;
  /** The request field at fault, e.g. `messages[2].content` or `temperature`. */
  param?: string;
  /** Extra response headers (`Retry-After`, `Allow`, `WWW-Authenticate`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** An HTTP failure to report to the client, with its status and envelope. */
export class HttpError extends Error {
  override name = "HttpError";
  readonly status: number;
  readonly code: HttpErrorCode;
  readonly param: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: HttpErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.param = init.param;
    this.headers = init.headers ?? {};
  }

  /** The wire envelope: `{"error": {"code", "message", "param"?}}`. */
  toJSON(): { error: { code: string; message: string; param?: string } } {
    const error: { code: string; message: string; param?: string } = {
      code: this.code,
      message: this.message,
    };
    if (this.param !== undefined) error.param = this.param;
    return { error };
  }
}

/** A 400 `invalid_request` naming the field at fault. */
export function badRequest(message: string, param?: string): HttpError {
  return new HttpError({ status: 400, code: "invalid_request", message, param });
}

/** A 400 `unsupported_parameter`: a known key this server or its engine cannot honour. */
export function unsupported(message: string, param: string): HttpError {
  return new HttpError({ status: 400, code: "unsupported_parameter", message, param });
}

/**
 * Why work stopped early: the server's own reason when it gave one (shutting down), else the
 * client closed the request (nginx's 499, seen only in the log since nobody reads the answer).
 */
export function abortedError(signal: AbortSignal): HttpError {
  if (isHttpError(signal.reason)) return signal.reason;
  return new HttpError({ status: 499, code: "request_aborted", message: "The client closed the request." });
}

/** True for an `HttpError`, across module copies too. */
export function isHttpError(error: unknown): error is HttpError {
  return (
    error instanceof HttpError || (error instanceof Error && error.name === "HttpError" && "status" in error)
  );
}

/** Renders any error as a response: the envelope for `HttpError`, a bare 500 for the rest. */
export function renderError(error: unknown): Response {
  const known = isHttpError(error)
    ? error
    : new HttpError({ status: 500, code: "internal_error", message: "Internal server error." });
  return new Response(JSON.stringify(known.toJSON()), {
    status: known.status,
    headers: { "content-type": "application/json", ...known.headers },
  });
}
