// What a response's body means to a stream (protocol.md P5.1–P5.4): the decoder for its format, and
// what each server-sent event is: a chunk, a keep-alive, the end (`[DONE]`), or an error to throw
// once the updates before it are delivered. Also the meaning of a JSON answer to a streamed
// request (P5.3). `stream.ts` acts on the meanings.
import type { WireObject } from "../models/model.js";
import { isPlainObject } from "../models/wire-values.js";
import type { AiInferenceError } from "../errors.js";
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from "../internal/json-depth.js";
import { DEFAULT_MAX_EVENT_BYTES, type SseEvent, SseDecoder } from "./decode.js";
import { DEFAULT_MAX_RESPONSE_BYTES, JsonAnswerReader, completionAsChunk } from "./json-answer.js";
import { inStreamError, nestedTooDeeply, notACompletion, notAChunk, tooLarge } from "./stream-errors.js";
import type { StreamResponse, StreamSource } from "./stream-source.js";

/** An event that carries nothing (an empty `data`, which some servers send to keep alive). */
export const KEEP_ALIVE: unique symbol = Symbol("keep-alive");
/** `data: [DONE]`: the stream is over. */
export const END_OF_STREAM: unique symbol = Symbol("end-of-stream");

/** A chunk to deliver, a keep-alive, the end, or the error the stream fails with. */
export type EventMeaning = WireObject | typeof KEEP_ALIVE | typeof END_OF_STREAM | AiInferenceError;

/** Valid JSON this short cannot nest too deeply: only longer chunks are scanned. */
const DEPTH_SCAN_LENGTH = 2 * MAX_JSON_DEPTH;

type Secrets = () => readonly string[];

/**
 * The meaning of one event. Every event is handled by its data, whatever its name (openai-node
 * does the same: servers name their chunks `chunk` or their end `done`), except `error`: the
 * service's own error (P5.4), as is a chunk with a top-level `error`.
 */
export function meaningOf(event: SseEvent, response: StreamResponse, secrets: Secrets): EventMeaning {
  const data = event.data;
  if (event.event === "error") return inStreamError(response, data, secrets());
  if (isDone(data)) return END_OF_STREAM;
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    if (data.trim() === "") return KEEP_ALIVE;
    return notAChunk(response, data, secrets());
  }
  if (typeof chunk !== "object" || chunk === null || Array.isArray(chunk)) {
    return notAChunk(response, data, secrets());
  }
  if (data.length > DEPTH_SCAN_LENGTH && jsonNestsDeeperThan(data)) {
    return nestedTooDeeply(response, data, secrets());
  }
  const error = (chunk as WireObject).error;
  if ((error !== undefined && error !== null) || (chunk as WireObject).object === "error") {
    return inStreamError(response, chunk, secrets());
  }
  return chunk as WireObject;
}

/** `[DONE]`, also with the spaces or line ends some servers put around it. */
function isDone(data: string): boolean {
  // Checked before JSON.parse, which would throw on it; a chunk (it starts with "{") is never trimmed.
  return data === "[DONE]" || (data.charCodeAt(0) !== OPEN_BRACE && data.trim() === "[DONE]");
}

const OPEN_BRACE = 0x7b;

/** A JSON answer to a streamed request: the chunk that carries it and, for a completion, itself. */
export interface Answer {
  readonly chunk: WireObject;
  /** The chat completion as sent (`undefined` when the server sent one chunk as JSON). */
  readonly completion: WireObject | undefined;
}

/** The meaning of a whole JSON body sent in answer to `stream: true` (P5.3). */
export function answerOf(
  text: string,
  response: StreamResponse,
  secrets: Secrets,
): Answer | AiInferenceError {
  if (jsonNestsDeeperThan(text)) return nestedTooDeeply(response, text, secrets());
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = undefined;
  }
  if (!isPlainObject(answer)) return notACompletion(response, text, secrets());
  if ((answer.error !== undefined && answer.error !== null) || answer.object === "error") {
    return inStreamError(response, answer, secrets());
  }
  if (answer.object === "chat.completion.chunk") return { chunk: answer, completion: undefined };
  return { chunk: completionAsChunk(answer), completion: answer };
}

/** Bytes in, meanings out: the event decoder, or the reader of a JSON answer. */
export interface BodyDecoder {
  feed(bytes: Uint8Array): void;
  /** The body ended normally. */
  end(): void;
}

export interface BodyHandlers {
  onEvent(event: SseEvent): boolean;
  onAnswer(text: string): void;
  /** The body outgrew its limit (the decoder has stopped). */
  onFailure(error: AiInferenceError): void;
}

/** The decoder of a response's body, by its format, with the source's limits (P5.3). */
export function bodyDecoder(
  response: StreamResponse,
  limits: Pick<StreamSource, "maxEventBytes" | "maxResponseBytes">,
  handlers: BodyHandlers,
): BodyDecoder {
  if (response.format === "json") {
    const limit = limits.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    return new JsonAnswerReader({
      onText: handlers.onAnswer,
      onTooLarge: () => handlers.onFailure(tooLarge(response, "maxResponseBytes", limit)),
      maxResponseBytes: limit,
    });
  }
  const limit = limits.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  return new SseDecoder({
    onEvent: handlers.onEvent,
    // Unknown fields and bad `retry` values are ignored, as the SSE standard says; an event past
    // maxEventBytes is fatal (the decoder has stopped).
    onProblem: (problem) => {
      if (problem.type === "max-buffer-size-exceeded") {
        handlers.onFailure(tooLarge(response, "maxEventBytes", limit));
      }
    },
    maxEventBytes: limit,
  });
}
