// A server that ignores `stream: true` answers with one JSON chat completion (P5.3). The stream
// reads that body (bounded by `maxResponseBytes`) in place of the event decoder and delivers the
// completion as a single update, so that iteration and `finalChatCompletions()` both work and a
// caller is never told "done" with nothing.
import type { WireObject } from "../models/model.js";
import { cloneWire, isPlainObject } from "../models/wire-values.js";

/** P5.3's default for `maxResponseBytes`: 2,048 embeddings of 3,072 floats fit. */
export const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

export interface JsonAnswerHandlers {
  /** The whole body, once it ended within the limit. */
  onText(text: string): void;
  /** The body outgrew `maxResponseBytes`; nothing more is read. */
  onTooLarge(): void;
  readonly maxResponseBytes?: number;
}

/** Collects a JSON body with the same `feed`/`end` as the event decoder. */
export class JsonAnswerReader {
  readonly #handlers: JsonAnswerHandlers;
  readonly #limit: number;
  readonly #decoder = new TextDecoder();
  readonly #parts: string[] = [];
  #bytes = 0;
  #stopped = false;

  constructor(handlers: JsonAnswerHandlers) {
    this.#handlers = handlers;
    this.#limit = handlers.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  feed(bytes: Uint8Array): void {
    if (this.#stopped) return;
    this.#bytes += bytes.byteLength;
    if (this.#bytes > this.#limit) {
      this.#stopped = true;
      this.#parts.length = 0;
      this.#handlers.onTooLarge();
      return;
    }
    this.#parts.push(this.#decoder.decode(bytes, { stream: true }));
  }

  end(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#parts.push(this.#decoder.decode());
    this.#handlers.onText(this.#parts.join(""));
  }
}

/**
 * A chat completion as the chunk that carries all of it: each choice's `message` becomes its
 * `delta`, `object` becomes `chat.completion.chunk`; every other key is kept as sent. The chunk is
 * built from a deep copy: it becomes the update handed to the caller, who may change it, while the
 * completion is the accumulated answer, and the two share nothing (quality.md Q2, issue 11).
 */
export function completionAsChunk(completion: WireObject): WireObject {
  const copy = cloneWire(completion) as WireObject;
  const chunk: WireObject = { ...copy, object: "chat.completion.chunk" };
  const { choices } = copy;
  if (Array.isArray(choices)) {
    chunk.choices = choices.map((choice: unknown) => {
      if (!isPlainObject(choice)) return choice;
      const { message, ...rest } = choice;
      return { ...rest, delta: isPlainObject(message) ? message : {} };
    });
  }
  return chunk;
}
