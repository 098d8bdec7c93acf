// What a response's body means to a stream (protocol.md P5.3): the decoder for its format (events,
// or one JSON answer from a server that ignored `stream: true`), what such an answer is, and the one
// place `[DONE]` is recognised. The rest of each event's meaning stays inline in `stream.ts`, on the
// hot path.
import type { WireObject } from "../models/model.js";
import { isPlainObject } from "../models/wire-values.js";
import type { AiInferenceError } from "../errors.js";
import { jsonNestsDeeperThan } from "../internal/json-depth.js";
import { DEFAULT_MAX_EVENT_BYTES, type SseEvent, SseDecoder } from "./decode.js";
import { DEFAULT_MAX_RESPONSE_BYTES, JsonAnswerReader, completionAsChunk } from "./json-answer.js";
import { inStreamError, nestedTooDeeply, notACompletion, tooLarge } from "./stream-errors.js";
import type { StreamResponse, StreamSource } from "./stream-source.js";

type Secrets = () => readonly string[];

/** `[DONE]`, also with the spaces or line ends some servers put around it: the stream is over. */
export function isDone(data: string): boolean {
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

/**
 * The decoder of a response's body, by its format, with the source's limits (P5.3): one event
 * within `maxEventBytes`, and the whole body (events or a JSON answer) within `maxResponseBytes`:
 * a server that streams valid chunks forever must not grow memory forever either.
 */
export function bodyDecoder(
  response: StreamResponse,
  limits: Pick<StreamSource, "maxEventBytes" | "maxResponseBytes">,
  handlers: BodyHandlers,
): BodyDecoder {
  const bodyLimit = limits.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const bodyTooLarge = (): void => handlers.onFailure(tooLarge(response, "maxResponseBytes", bodyLimit));
  if (response.format === "json") {
    return new JsonAnswerReader({
      onText: handlers.onAnswer,
      onTooLarge: bodyTooLarge,
      maxResponseBytes: bodyLimit,
    });
  }
  const eventLimit = limits.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const decoder = new SseDecoder({
    onEvent: handlers.onEvent,
    // Unknown fields and bad `retry` values are ignored, as the SSE standard says; an event past
    // maxEventBytes is fatal (the decoder has stopped).
    onProblem: (problem) => {
      if (problem.type === "max-buffer-size-exceeded") {
        handlers.onFailure(tooLarge(response, "maxEventBytes", eventLimit));
      }
    },
    maxEventBytes: eventLimit,
  });
  return Number.isFinite(bodyLimit) ? new BoundedBody(decoder, bodyLimit, bodyTooLarge) : decoder;
}

/** Counts the bytes of a body on their way to its decoder, and stops at the limit. */
class BoundedBody implements BodyDecoder {
  readonly #decoder: BodyDecoder;
  readonly #limit: number;
  readonly #onTooLarge: () => void;
  #bytes = 0;
  #stopped = false;

  constructor(decoder: BodyDecoder, limit: number, onTooLarge: () => void) {
    this.#decoder = decoder;
    this.#limit = limit;
    this.#onTooLarge = onTooLarge;
  }

  feed(bytes: Uint8Array): void {
    if (this.#stopped) return;
    this.#bytes += bytes.byteLength;
    if (this.#bytes > this.#limit) {
      this.#stopped = true;
      this.#onTooLarge();
      return;
    }
    this.#decoder.feed(bytes);
  }

  end(): void {
    if (!this.#stopped) this.#decoder.end();
  }
}
