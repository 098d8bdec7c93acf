// What the server's middleware and routes share through Hono's context.
import type { JsonObject } from "./request/fields.js";

/** Token counts a route reports for the request log. */
export interface RequestUsage {
  promptTokens: number;
  completionTokens: number;
}

/** Per-request variables. */
export interface ServerVariables {
  /** The body as text, read whole within the size limit (body-limit middleware). */
  bodyText: string | undefined;
  /** The parsed JSON body (json-body middleware). */
  body: JsonObject;
  /**
   * Set by a route whose work outlives its handler (a streamed reply): settles when the stream
   * ends, so that capacity frees the slot and the log line is written only then.
   */
  work: Promise<void> | undefined;
  /** Tokens in and out, for the log line. */
  usage: RequestUsage | undefined;
  /** Prompt and output, logged only when the server is asked to log content. */
  content: { prompt: unknown; output: unknown } | undefined;
  /** Aborted when the client goes away or the server shuts down. */
  workSignal: AbortSignal;
  /** The request came over HTTP (not through the in-process `fetch`). */
  overHttp: boolean;
  /**
   * The status the log reports when the work ended otherwise than the response's status says:
   * 499 when the client left a stream, the status of a stream's error event.
   */
  finalStatus: number | undefined;
  /** Route-specific state handed from a validating step to the handler. */
  prepared: unknown;
}

/** The Hono environment of every route and middleware. */
export interface ServerEnv {
  Variables: ServerVariables;
}
