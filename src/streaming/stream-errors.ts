// The errors a stream builds itself (protocol.md P5.3, P5.4, P5.10); the classes live in
// src/errors.ts. Whatever the service sent goes through the same redaction and the same 64 KiB
// body limit as the client's own errors (P3.2, P3.3): an echoed key must not reach a message, an
// inspection or a span from inside a stream either.
import {
  AiInferenceError,
  HttpResponseError,
  ResponseTooLargeError,
  ServiceResponseError,
} from "../errors.js";
import { redactedErrorBody } from "../internal/error-body.js";
import { MAX_JSON_DEPTH } from "../internal/json-depth.js";
import { redactHeaderValues, redactText, redactValue } from "../internal/redact.js";
import type { StreamResponse } from "./stream-source.js";

type Secrets = readonly string[];

/** The service's own error inside the stream: status 200 as received, the error object's code and message. */
export function inStreamError(
  response: StreamResponse,
  data: string | object,
  secrets: Secrets,
): HttpResponseError {
  const { body, truncated } =
    typeof data === "string"
      ? redactedErrorBody(data, secrets)
      : { body: redactValue(data, secrets), truncated: false };
  return new HttpResponseError({
    statusCode: response.status,
    headers: redactHeaderValues(response.headers, secrets),
    body,
    bodyTruncated: truncated,
    requestId: response.requestId,
  });
}

/** An event whose data is not a JSON object: the stream cannot be read as chunks. */
export function notAChunk(response: StreamResponse, data: string, secrets: Secrets): ServiceResponseError {
  return new ServiceResponseError(
    `The stream sent an event whose data is not a JSON object: ${shown(data, secrets)}`,
    { requestId: response.requestId },
  );
}

/** A chunk (or a JSON answer) nested deeper than the SDK accepts. */
export function nestedTooDeeply(
  response: StreamResponse,
  data: string,
  secrets: Secrets,
): ServiceResponseError {
  return new ServiceResponseError(
    `The stream sent JSON nested more than ${MAX_JSON_DEPTH} levels deep, which the SDK does not accept: ${shown(data, secrets)}`,
    { requestId: response.requestId },
  );
}

/** A JSON answer to a streamed request that is not a chat completion (an array, a string...). */
export function notACompletion(
  response: StreamResponse,
  text: string,
  secrets: Secrets,
): ServiceResponseError {
  return new ServiceResponseError(
    `The service answered a streamed request with JSON that is not a chat completion: ${shown(text, secrets)}`,
    { requestId: response.requestId },
  );
}

/** One event, or a JSON answer, outgrew its limit (P5.3). */
export function tooLarge(
  response: StreamResponse,
  option: "maxEventBytes" | "maxResponseBytes",
  limitBytes: number,
): ResponseTooLargeError {
  const what =
    option === "maxEventBytes"
      ? "One server-sent event of the stream is larger than"
      : "The body of the streamed response is larger than";
  return new ResponseTooLargeError(
    `${what} ${option} (${limitBytes} bytes); the rest was not read and the connection was closed. ` +
      `Raise ${option} (a client or call option) if the service really sends that much.`,
    { option, limitBytes, requestId: response.requestId },
  );
}

/**
 * The body's read failed. The transport maps its own errors to ours (stream-source.ts); anything
 * else is wrapped, so that every broken connection is a `ServiceResponseError`.
 */
export function brokenConnection(response: StreamResponse, error: unknown): AiInferenceError {
  if (error instanceof AiInferenceError) return error;
  return new ServiceResponseError("The connection broke while the stream was being read.", {
    cause: error,
    requestId: response.requestId,
  });
}

/** The beginning of what the service sent, for a message: redacted before it is cut (a cut secret is not found). */
function shown(data: string, secrets: Secrets): string {
  const clean = redactText(data, secrets);
  return clean.length > 200 ? `${clean.slice(0, 200)}…` : clean;
}
