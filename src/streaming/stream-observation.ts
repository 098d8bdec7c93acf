// The stream's side of the client's instrumentation hook (docs/tracing.md): tells an observer of
// each update and of the end, exactly once, and never lets the observer's own failure reach the
// reader. A stream that is dropped without being read to its end or closed would never tell its
// observer anything, so (only when observed) it is registered for garbage collection: its observer
// then hears `abandoned`. Unobserved streams pay none of this. Runtimes without
// FinalizationRegistry (Cloudflare's workerd before compatibility date 2025-05-05) skip that
// registration: there a dropped stream's observer is never told, and everything else works.
import type { ChatCompletions } from "../models/chat-completions.js";
import type { StreamingChatCompletionsUpdate } from "../models/streaming-updates.js";
import { AiInferenceError } from "../errors.js";
import type { StreamEnd, StreamObserver } from "./stream-source.js";

/**
 * The observers of streams still open, keyed by the stream object. The held value is the
 * observation, never the stream, or the stream could not be collected.
 */
const openStreams: FinalizationRegistry<StreamObservation> | undefined =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<StreamObservation>((observation) => {
        observation.end({ outcome: "abandoned" });
      })
    : undefined;

export class StreamObservation {
  readonly #observer: StreamObserver;
  #ended = false;

  /** Starts observing `stream` (the token of its garbage-collection registration). */
  constructor(observer: StreamObserver, stream: object) {
    this.#observer = observer;
    openStreams?.register(stream, this, this);
  }

  get ended(): boolean {
    return this.#ended;
  }

  update(update: StreamingChatCompletionsUpdate): void {
    if (this.#ended || this.#observer.update === undefined) return;
    try {
      this.#observer.update(update);
    } catch {
      // An observer's failure is its own: the reader still gets every update.
    }
  }

  /**
   * Tells how the stream ended: `failure` (what the reader will get), or closed by the caller
   * before its end, or read to its end; `result` gives what had arrived.
   */
  endWith(failure: unknown, closed: boolean, result: () => ChatCompletions): void {
    if (this.#ended) return;
    if (failure !== undefined) {
      const partial = failure instanceof AiInferenceError ? failure.partial : undefined;
      this.end({ outcome: "error", error: failure, partial });
    } else {
      this.end(closed ? { outcome: "closed", partial: result() } : { outcome: "success", result: result() });
    }
  }

  /** Tells the end, once; later calls do nothing. */
  end(end: StreamEnd): void {
    if (this.#ended) return;
    this.#ended = true;
    openStreams?.unregister(this);
    try {
      this.#observer.end(end);
    } catch {
      // As above.
    }
  }
}
