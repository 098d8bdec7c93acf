// Span attributes from what a call sent and got back (docs/tracing.md has the table). Request
// parameters come from the body as sent, so the client's `defaults` are included; response values
// from the result model. Nothing here reads headers or the URL's query: no secret can get in.
import type { Attributes } from "@opentelemetry/api";
import type { InstrumentedCall } from "../../client/instrumentation.js";
import { ATTR, PROVIDER_BY_KIND } from "./semconv.js";
import { integer, list, number, read, text } from "./read.js";

type Mutable = { [key: string]: Attributes[string] };

function put(attributes: Mutable, name: string, value: Attributes[string]): void {
  if (value !== undefined) attributes[name] = value;
}

/** The attributes known when a call starts: operation, provider, server, request parameters. */
export function requestAttributes(call: InstrumentedCall): Attributes {
  const request = call.request ?? {};
  const attributes: Mutable = {
    [ATTR.operationName]: call.operation,
    [ATTR.providerName]: PROVIDER_BY_KIND[call.kind],
  };
  const server = serverOf(call.endpoint);
  put(attributes, ATTR.requestModel, text(request.model) ?? server.deployment);
  attributes[ATTR.serverAddress] = server.address;
  attributes[ATTR.serverPort] = server.port;
  if (call.operation === "embeddings") {
    put(attributes, ATTR.embeddingsDimensionCount, integer(request.dimensions));
    const format = text(request.encoding_format);
    if (format !== undefined) attributes[ATTR.requestEncodingFormats] = [format];
    return attributes;
  }
  put(attributes, ATTR.requestTemperature, number(request.temperature));
  put(attributes, ATTR.requestTopP, number(request.top_p));
  put(attributes, ATTR.requestTopK, number(request.top_k));
  put(
    attributes,
    ATTR.requestMaxTokens,
    integer(request.max_tokens) ?? integer(request.max_completion_tokens),
  );
  put(attributes, ATTR.requestSeed, integer(request.seed));
  put(attributes, ATTR.requestFrequencyPenalty, number(request.frequency_penalty));
  put(attributes, ATTR.requestPresencePenalty, number(request.presence_penalty));
  const stop =
    typeof request.stop === "string"
      ? [request.stop]
      : list(request.stop).filter((s) => typeof s === "string");
  if (stop.length > 0) attributes[ATTR.requestStopSequences] = stop as string[];
  const choices = integer(request.n);
  if (choices !== undefined && choices !== 1) attributes[ATTR.requestChoiceCount] = choices;
  put(attributes, ATTR.outputType, outputType(request.response_format));
  attributes[ATTR.requestStream] = call.stream;
  return attributes;
}

interface Server {
  readonly address: string;
  readonly port: number;
  /** An Azure OpenAI deployment named in the endpoint's path: the model the request goes to. */
  readonly deployment: string | undefined;
}

// A client's endpoint is the same at every call: parse each one once (a few per process).
const servers = new Map<string, Server>();

function serverOf(endpoint: string): Server {
  let server = servers.get(endpoint);
  if (server !== undefined) return server;
  const url = new URL(endpoint);
  const deployment = /\/openai\/deployments\/([^/]+)/i.exec(url.pathname);
  server = {
    address: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port),
    deployment: deployment === null ? undefined : decodeURIComponent(deployment[1]),
  };
  if (servers.size < 64) servers.set(endpoint, server);
  return server;
}

/** `gen_ai.output.type` from `response_format`: `text`, or `json` for both JSON formats. */
function outputType(format: unknown): string | undefined {
  const type = typeof format === "string" ? format : text(read(format, "type"));
  if (type === "text") return "text";
  if (type === "json_object" || type === "json_schema") return "json";
  return undefined;
}

/** The attributes of a result (a `ChatCompletions`, whole or accumulated, or an `EmbeddingsResult`). */
export function responseAttributes(result: unknown): Attributes {
  const attributes: Mutable = {};
  put(attributes, ATTR.responseId, nonEmpty(read(result, "id")));
  put(attributes, ATTR.responseModel, nonEmpty(read(result, "model")));
  const choices = read(result, "choices");
  if (Array.isArray(choices)) {
    const reasons = choices
      .map((choice) => text(read(choice, "finish_reason")))
      .filter((r) => r !== undefined);
    if (reasons.length > 0) attributes[ATTR.responseFinishReasons] = reasons as string[];
  }
  const usage = read(result, "usage");
  put(attributes, ATTR.usageInputTokens, integer(read(usage, "prompt_tokens")));
  put(attributes, ATTR.usageOutputTokens, integer(read(usage, "completion_tokens")));
  put(
    attributes,
    ATTR.usageCacheReadInputTokens,
    integer(read(read(usage, "prompt_tokens_details"), "cached_tokens")),
  );
  put(
    attributes,
    ATTR.usageReasoningOutputTokens,
    integer(read(read(usage, "completion_tokens_details"), "reasoning_tokens")),
  );
  return attributes;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * `error.type` (docs/tracing.md lists them): the HTTP status for a service's error reply (`401`,
 * `429`, `500`...), `timeout` for a timeout, else the error's class name (`AbortError`,
 * `ServiceRequestError`, `ServiceResponseError`, `HttpResponseError` for an error sent inside a
 * stream...), and `_OTHER` for a thrown non-error.
 */
export function errorType(error: unknown): string {
  if (!(error instanceof Error)) return "_OTHER";
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number" && status >= 400) return String(status);
  if (error.name === "RequestTimeoutError") return "timeout";
  return error.name || "_OTHER";
}
