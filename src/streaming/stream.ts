/**
 * `StreamingChatCompletions` (protocol.md P5.3–P5.12): the updates of one streamed chat
 * completion, read once, with the whole answer accumulated on the side.
 *
 * The hot path is bytes → events (decode.ts) → `JSON.parse` → accumulate → an update that adopts
 * the parsed object without copying. The iterator is hand-written rather than an async generator:
 * an update already decoded is handed out with one resolved promise and no generator machinery.
 * Reads happen only when every decoded update has been handed out, so "no update delivered yet"
 * (when a failure may re-send the request, P5.10) is "nothing decoded in this attempt".
 */
import { ChatCompletions } from "../models/chat-completions.js";
import { adopt } from "../models/model.js";
import { StreamingChatCompletionsUpdate } from "../models/streaming-updates.js";
import type { WireObject } from "../models/model.js";
import { AbortError, AiInferenceError, RequestTimeoutError } from "../errors.js";
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from "../internal/json-depth.js";
import { ChatCompletionsAccumulator } from "./accumulate.js";
import type { SseEvent } from "./decode.js";
import { IdleTimer } from "./idle-timer.js";
import { StreamObservation } from "./stream-observation.js";
import { brokenConnection, inStreamError, nestedTooDeeply, notAChunk } from "./stream-errors.js";
import { type BodyDecoder, answerOf, bodyDecoder, isDone } from "./body-decoder.js";
import type { StreamResponse, StreamSource } from "./stream-source.js";

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
/** P5.11's default, for a source that sets none. */
const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
const NO_SECRETS: readonly string[] = Object.freeze([]);
/** Valid JSON this short cannot nest too deeply: only longer chunks are scanned. */
const DEPTH_SCAN_LENGTH = 2 * MAX_JSON_DEPTH;

/**
 * A streamed chat completion: an `AsyncIterable` of `StreamingChatCompletionsUpdate`s, one per
 * chunk the service sent (empty `choices` included), that can be read once.
 *
 * Leaving a `for await` loop early (`break`, `return`, an exception) closes the connection, as do
 * `close()` and `await using`. `finalChatCompletions()` reads whatever is left and returns the whole
 * answer accumulated as one `ChatCompletions`.
 *
 * Failures (P5.10): before the first update, a broken connection or an idle timeout re-sends the
 * request; after it, every failure carries `partial`, the answer accumulated so far, and is not
 * retried: `ServiceResponseError` (the connection broke), `RequestTimeoutError` (nothing arrived
 * for `idleTimeoutMs`), `AbortError` (the caller's signal; `cause` is its reason). An error sent
 * inside the stream is an `HttpResponseError` (status 200 as received), thrown after the updates
 * that came before it.
 * @example
 * const stream = await client.complete({ messages, stream: true });
 * for await (const update of stream) process.stdout.write(update.text);
 * const answer = await stream.finalChatCompletions();
 */
export class StreamingChatCompletions implements AsyncIterable<StreamingChatCompletionsUpdate> {
  readonly #source: StreamSource;
  #response: StreamResponse;
  #responseClosed = false;
  /** Reads the next piece of the current response's body (set on the first read). */
  #read: (() => Promise<IteratorResult<Uint8Array>>) | undefined;
  #decoder: BodyDecoder;
  #accumulator = new ChatCompletionsAccumulator();
  /** Updates decoded and not yet handed out: `#queue[#head]` onwards. */
  #queue: StreamingChatCompletionsUpdate[] = [];
  #head = 0;
  /** No more reads: the body ended, `[DONE]`, an error, or `close()`. */
  #ended = false;
  /** `[DONE]` arrived: the rest of the body is read (if small and quick) rather than cut (P5.3). */
  #doneReceived = false;
  /** The read of what followed `[DONE]`; iteration ends only once it is over. */
  #rest: Promise<void> | undefined;
  /** The error to throw once the decoded updates before it have been handed out. */
  #failure: unknown = undefined;
  #failureThrown = false;
  /** An abort or idle timeout that happened while a read was pending or between reads. */
  #interrupt: AbortError | RequestTimeoutError | undefined;
  #claimed = false;
  /** finalChatCompletions() is reading: decoded chunks are accumulated but not wrapped as updates. */
  #draining = false;
  #final: ChatCompletions | undefined;
  readonly #idle: IdleTimer;
  /** The instrumentation's view of this stream, when observed (docs/tracing.md). */
  readonly #observation: StreamObservation | undefined;
  readonly #onAbort = (): void => {
    const signal = this.#source.abortSignal!;
    this.#interrupt ??= new AbortError("The operation was aborted.", {
      cause: signal.reason,
      requestId: this.#response.requestId,
    });
    this.#closeResponse();
    // The reader learns of it at its next read, which may never come; the observer learns now.
    if (!this.#ended)
      this.#observation?.endWith(this.#withPartial(this.#interrupt), false, () => this.#result());
  };

  /**
   * @internal Built by the client's pipeline (`complete({ ..., stream: true })`), which hands over
   * the first response and a way to re-send the request.
   */
  constructor(source: StreamSource) {
    this.#source = source;
    this.#response = source.first;
    this.#observation = source.observer && new StreamObservation(source.observer, this);
    this.#decoder = this.#newDecoder();
    // 0 or Infinity switches the idle timeout off; a source that says nothing gets the default.
    const idleTimeoutMs = source.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.#idle = new IdleTimer(idleTimeoutMs, () => {
      this.#interrupt ??= new RequestTimeoutError(
        `The stream sent nothing for ${idleTimeoutMs} ms (idleTimeoutMs).`,
        { requestId: this.#response.requestId },
      );
      this.#closeResponse();
    });
    const signal = source.abortSignal;
    if (signal !== undefined) {
      if (signal.aborted) this.#onAbort();
      else signal.addEventListener("abort", this.#onAbort, { once: true });
    }
  }

  /** The response headers of the latest attempt. */
  get headers(): Headers {
    return this.#response.headers;
  }

  /** Our `x-ms-client-request-id` of the latest attempt. */
  get requestId(): string | undefined {
    return this.#response.requestId;
  }

  /** Iterates the updates. A stream can be read once. */
  [Symbol.asyncIterator](): AsyncIterableIterator<StreamingChatCompletionsUpdate> {
    this.#claim("iterated");
    const iterator: AsyncIterableIterator<StreamingChatCompletionsUpdate> = {
      next: () => this.#next(),
      return: () => {
        this.close();
        return Promise.resolve(DONE);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Closes the connection (idempotent). What arrived so far stays in `finalChatCompletions()`. */
  close(): void {
    if (!this.#ended) this.#end(undefined, true);
    // Reading what followed [DONE]: stop that too.
    else if (this.#rest !== undefined) this.#response.close();
    this.#queue.length = 0;
    this.#head = 0;
  }

  /** `await using stream = ...` closes the connection at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  /**
   * Reads the rest of the stream and returns the whole answer as one `ChatCompletions`: every
   * update since the start, iterated or not (P5.8). After `break` or `close()` it returns what had
   * arrived and reads nothing more (P5.12). A stream that failed rejects with the same error,
   * whose `partial` holds what arrived.
   */
  async finalChatCompletions(): Promise<ChatCompletions> {
    this.#claimed = true;
    this.#draining = true;
    await this.#drain();
    if (this.#failure !== undefined) {
      this.#failureThrown = true;
      throw this.#failure;
    }
    return this.#result();
  }

  /** The content text of choice 0, piece by piece (P5.9). Leaving the loop early closes the stream. */
  async *textStream(): AsyncGenerator<string, void, undefined> {
    for await (const update of this) {
      const text = update.text;
      if (text !== "") yield text;
    }
  }

  /**
   * The updates as a byte stream of newline-delimited JSON (one update's wire JSON per line), for
   * handing on, e.g. as the body of a `Response`. Cancelling it closes the connection.
   */
  toReadableStream(): ReadableStream<Uint8Array> {
    const iterator = this[Symbol.asyncIterator]();
    const encoder = new TextEncoder();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const step = await iterator.next();
          if (step.done) controller.close();
          else controller.enqueue(encoder.encode(`${JSON.stringify(step.value)}\n`));
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: () => {
        this.close();
      },
    });
  }

  // ---- reading ----------------------------------------------------------------------------------

  #claim(how: string): void {
    if (this.#claimed) {
      throw new TypeError(
        `This stream was already read; a stream can be read once (${how} a second time). ` +
          "Call finalChatCompletions() for the accumulated answer.",
      );
    }
    this.#claimed = true;
  }

  #next(): Promise<IteratorResult<StreamingChatCompletionsUpdate>> {
    if (this.#head < this.#queue.length && this.#interrupt === undefined) {
      return Promise.resolve({ done: false, value: this.#queue[this.#head++] });
    }
    return this.#pull();
  }

  // The read loops await the body directly (one await per network read); what follows a read is
  // synchronous unless it failed.

  async #pull(): Promise<IteratorResult<StreamingChatCompletionsUpdate>> {
    for (;;) {
      if (this.#interrupt !== undefined) await this.#handleInterrupt();
      if (this.#head < this.#queue.length) return { done: false, value: this.#queue[this.#head++] };
      if (this.#ended) {
        if (this.#rest !== undefined) await this.#rest;
        if (this.#failure === undefined || this.#failureThrown) return DONE;
        this.#failureThrown = true;
        throw this.#failure;
      }
      let step: IteratorResult<Uint8Array>;
      try {
        step = await this.#startRead();
      } catch (error) {
        await this.#onReadError(error);
        continue;
      }
      this.#onRead(step);
    }
  }

  /** Like #pull, for finalChatCompletions(): decoded chunks are consumed without being handed out. */
  async #drain(): Promise<void> {
    this.#queue.length = 0;
    this.#head = 0;
    for (;;) {
      if (this.#interrupt !== undefined) await this.#handleInterrupt();
      if (this.#ended) {
        if (this.#rest !== undefined) await this.#rest;
        return;
      }
      let step: IteratorResult<Uint8Array>;
      try {
        step = await this.#startRead();
      } catch (error) {
        await this.#onReadError(error);
        continue;
      }
      this.#onRead(step);
    }
  }

  #startRead(): Promise<IteratorResult<Uint8Array>> {
    // A fresh array, not `length = 0`: the length setter showed up in profiles at one call per read.
    if (this.#queue.length !== 0) this.#queue = [];
    this.#head = 0;
    this.#read ??= readerOf(this.#response.body);
    this.#idle.waiting();
    return this.#read();
  }

  #onRead(step: IteratorResult<Uint8Array>): void {
    this.#idle.settled();
    // Closed, aborted or timed out while the read was pending: the loop handles it.
    if (this.#ended || this.#interrupt !== undefined) return;
    if (step.done) {
      this.#decoder.end();
      this.#end(undefined);
    } else {
      this.#decoder.feed(step.value);
    }
  }

  async #onReadError(error: unknown): Promise<void> {
    this.#idle.settled();
    if (this.#ended || this.#interrupt !== undefined) return;
    await this.#onBroken(error);
  }

  // Inline rather than a shared classifier returning what each event means: this runs once per
  // chunk, and a polymorphic return value (chunk, marker or error) cost a fifth of the stream's time.
  #onEvent = (event: SseEvent): boolean => {
    const data = event.data;
    // Every event is handled by its data, whatever its name (openai-node does the same: servers name
    // their chunks `chunk` or their end `done`), except `error`: the service's own error (P5.4).
    if (event.event === "error") return this.#failWith(inStreamError(this.#response, data, this.#secrets()));
    if (isDone(data)) return this.#endAtDone();
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      // An empty event carries nothing (some servers use one as a keep-alive).
      if (data.trim() === "") return true;
      return this.#failWith(notAChunk(this.#response, data, this.#secrets()));
    }
    if (typeof chunk !== "object" || chunk === null || Array.isArray(chunk)) {
      return this.#failWith(notAChunk(this.#response, data, this.#secrets()));
    }
    if (data.length > DEPTH_SCAN_LENGTH && jsonNestsDeeperThan(data)) {
      return this.#failWith(nestedTooDeeply(this.#response, data, this.#secrets()));
    }
    const error = (chunk as WireObject).error;
    if ((error !== undefined && error !== null) || (chunk as WireObject).object === "error") {
      return this.#failWith(inStreamError(this.#response, chunk, this.#secrets()));
    }
    this.#deliver(chunk as WireObject);
    return true;
  };

  /** Accumulates a chunk and queues its update (or only accumulates it, while draining). */
  #deliver(chunk: WireObject): void {
    this.#accumulator.add(chunk);
    if (!this.#draining) {
      const update = adopt(StreamingChatCompletionsUpdate, chunk);
      this.#queue.push(update);
      this.#observation?.update(update);
    } else if (this.#observation !== undefined) {
      this.#observation.update(adopt(StreamingChatCompletionsUpdate, chunk));
    }
  }

  /** A server that ignored `stream: true` sent one JSON chat completion: one update, and the answer. */
  #onAnswer = (text: string): void => {
    const answer = answerOf(text, this.#response, this.#secrets);
    if (answer instanceof AiInferenceError) {
      this.#failWith(answer);
      return;
    }
    this.#deliver(answer.chunk);
    // The answer is the completion exactly as sent, not a re-accumulation of it.
    if (answer.completion !== undefined) this.#final = adopt(ChatCompletions, answer.completion);
  };

  /** `[DONE]`: the stream is over; what follows it is read (or the connection cut) by #end. */
  #endAtDone(): false {
    this.#doneReceived = true;
    this.#end(undefined);
    return false;
  }

  readonly #secrets = (): readonly string[] => this.#source.secrets?.() ?? NO_SECRETS;

  #newDecoder(): BodyDecoder {
    return bodyDecoder(this.#response, this.#source, {
      onEvent: this.#onEvent,
      onAnswer: this.#onAnswer,
      onFailure: (error) => this.#failWith(error),
    });
  }

  // ---- failures ---------------------------------------------------------------------------------

  async #handleInterrupt(): Promise<void> {
    const interrupt = this.#interrupt!;
    this.#interrupt = undefined;
    if (this.#ended) return;
    this.#queue.length = 0;
    this.#head = 0;
    // A silent stream that delivered nothing is re-sent; an abort never is (P4.1).
    if (interrupt instanceof RequestTimeoutError && this.#accumulator.count === 0) {
      await this.#reconnect(interrupt);
    } else {
      this.#end(this.#withPartial(interrupt));
    }
  }

  async #onBroken(error: unknown): Promise<void> {
    const failure = brokenConnection(this.#response, error);
    if (this.#accumulator.count === 0) await this.#reconnect(failure);
    else this.#end(this.#withPartial(failure));
  }

  /** Re-sends the request after a failure before the first update (P5.10), and starts over. */
  async #reconnect(failure: unknown): Promise<void> {
    this.#closeResponse();
    let response: StreamResponse;
    try {
      response = await this.#source.reconnect(failure);
    } catch (error) {
      this.#end(error);
      return;
    }
    this.#response = response;
    this.#responseClosed = false;
    this.#read = undefined;
    this.#decoder = this.#newDecoder();
    this.#accumulator = new ChatCompletionsAccumulator();
    // Closed while the request was being re-sent: the new response is closed too (an abort is
    // handled by the caller's loop, which closes it).
    if (this.#ended) this.#closeResponse();
  }

  /** An error found while decoding: thrown after the updates decoded before it (and no more read). */
  #failWith(error: AiInferenceError): false {
    this.#end(this.#withPartial(error));
    return false;
  }

  #withPartial(error: unknown): unknown {
    if (error instanceof AiInferenceError && this.#accumulator.count > 0) {
      error.partial ??= adopt(ChatCompletions, this.#accumulator.result());
    }
    return error;
  }

  /**
   * Stops reading for good; `failure` (if any) is thrown once the decoded updates are handed out.
   * `closed`: the caller closed the stream before its end.
   */
  #end(failure: unknown, closed = false): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#failure = failure;
    this.#idle.stop();
    this.#source.abortSignal?.removeEventListener("abort", this.#onAbort);
    if (this.#doneReceived && failure === undefined && !closed) this.#rest = this.#finishResponse();
    else this.#closeResponse();
    this.#observation?.endWith(failure, closed, () => this.#result());
  }

  /** After `[DONE]`: lets the response read what is left of its body, so that the connection is reused. */
  #finishResponse(): Promise<void> {
    if (this.#responseClosed) return Promise.resolve();
    this.#responseClosed = true;
    const response = this.#response;
    if (response.finish !== undefined) return response.finish();
    response.close();
    return Promise.resolve();
  }

  /** The answer accumulated so far, built once. */
  #result(): ChatCompletions {
    return (this.#final ??= adopt(ChatCompletions, this.#accumulator.result()));
  }

  #closeResponse(): void {
    if (this.#responseClosed) return;
    this.#responseClosed = true;
    this.#response.close();
  }
}

/**
 * The read function of a body. A web `ReadableStream` is read through its reader: its async
 * iterator costs several promises per read on Node.js (measured: a third of this stream's time in
 * 1 KB reads), and Safari has none.
 */
function readerOf(body: AsyncIterable<Uint8Array>): () => Promise<IteratorResult<Uint8Array>> {
  if (typeof ReadableStream !== "undefined" && body instanceof ReadableStream) {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    return () => reader.read() as Promise<IteratorResult<Uint8Array>>;
  }
  const iterator = body[Symbol.asyncIterator]();
  return () => iterator.next();
}
