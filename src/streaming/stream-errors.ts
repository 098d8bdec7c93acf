// The errors a stream builds itself (protocol.md P5.4, P5.10); the classes live in src/errors.ts.
import { AiInferenceError, HttpResponseError, ServiceResponseError } from "../errors.js";
import type { StreamResponse } from "./stream-source.js";

/** The service's own error inside the stream: status 200 as received, the error object's code and message. */
export function inStreamError(response: StreamResponse, data: string | object): HttpResponseError {
  return new HttpResponseError({
    statusCode: response.status,
    headers: response.headers,
    body: typeof data === "string" ? parseOrText(data) : data,
    requestId: response.requestId,
  });
}

/** An event whose data is not a JSON object: the stream cannot be read as chunks. */
export function notAChunk(response: StreamResponse, data: string): ServiceResponseError {
  const shown = data.length > 200 ? `${data.slice(0, 200)}…` : data;
  return new ServiceResponseError(`The stream sent an event whose data is not a JSON object: ${shown}`, {
    requestId: response.requestId,
  });
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

function parseOrText(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}
