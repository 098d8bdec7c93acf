// In-memory StreamSources for the stream's unit tests (style.md 2.6: decoder and stream units are
// fed chunks directly; the loopback versions are the client's). A response plays a script of
// steps: bytes, an error thrown by the read, a stall that lasts until close(), or a pause.
import { ServiceResponseError } from "../../src/errors.js";
import type { StreamResponse, StreamSource } from "../../src/streaming/stream-source.js";

export type Step =
  Uint8Array | string | { readonly error: unknown } | { readonly stall: true } | { readonly pauseMs: number };

export interface ResponseInit {
  status?: number;
  headers?: Record<string, string>;
  requestId?: string;
  /** What the body holds (P5.3): events by default, or one JSON answer. */
  format?: "event-stream" | "json";
}

/** A response whose body plays `steps`; counts `close()` calls and reads. */
export class MemoryResponse implements StreamResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly requestId: string | undefined;
  readonly format: "event-stream" | "json" | undefined;
  closeCalls = 0;
  reads = 0;
  #closed = false;
  #wake: (() => void) | undefined;
  readonly #steps: Step[];
  #position = 0;
  #claimed = false;

  constructor(steps: Iterable<Step>, init: ResponseInit = {}) {
    this.#steps = [...steps];
    this.status = init.status ?? 200;
    this.headers = new Headers(init.headers);
    if (!this.headers.has("content-type")) this.headers.set("content-type", "text/event-stream");
    this.requestId = init.requestId;
    this.format = init.format;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get body(): AsyncIterable<Uint8Array> {
    if (this.#claimed) throw new Error("MemoryResponse.body read twice");
    this.#claimed = true;
    return { [Symbol.asyncIterator]: () => ({ next: () => this.#next() }) };
  }

  close(): void {
    this.closeCalls++;
    this.#closed = true;
    this.#wake?.();
  }

  async #next(): Promise<IteratorResult<Uint8Array>> {
    this.reads++;
    for (;;) {
      if (this.#closed) return { done: true, value: undefined };
      const step = this.#steps[this.#position++];
      if (step === undefined) return { done: true, value: undefined };
      if (step instanceof Uint8Array) return { done: false, value: step };
      if (typeof step === "string") return { done: false, value: new TextEncoder().encode(step) };
      if ("error" in step) throw step.error;
      // A stall or a pause: ends early when the connection is closed, as a real transport's does.
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        if ("pauseMs" in step) setTimeout(resolve, step.pauseMs);
      });
      this.#wake = undefined;
    }
  }
}

/** A broken connection, as the transport reports it. */
export function reset(message = "socket hang up"): { error: ServiceResponseError } {
  return { error: new ServiceResponseError(`The connection broke: ${message}`) };
}

export interface MemorySourceInit {
  /** The responses of the first and each later attempt. */
  responses: MemoryResponse[];
  idleTimeoutMs?: number;
  abortSignal?: AbortSignal;
  maxEventBytes?: number;
  maxResponseBytes?: number;
  /** The call's secrets, redacted from errors raised inside the stream. */
  secrets?: readonly string[];
}

/** A StreamSource over scripted responses; `reconnect()` hands out the next one, or rejects. */
export class MemorySource implements StreamSource {
  readonly first: MemoryResponse;
  readonly idleTimeoutMs: number;
  readonly abortSignal: AbortSignal | undefined;
  readonly maxEventBytes: number | undefined;
  readonly maxResponseBytes: number | undefined;
  readonly responses: MemoryResponse[];
  readonly #secrets: readonly string[];
  /** The failures reconnect() was called with. */
  readonly reconnects: unknown[] = [];
  #next = 1;

  constructor(init: MemorySourceInit) {
    this.responses = init.responses;
    this.first = init.responses[0];
    this.idleTimeoutMs = init.idleTimeoutMs ?? 120_000;
    this.abortSignal = init.abortSignal;
    this.maxEventBytes = init.maxEventBytes;
    this.maxResponseBytes = init.maxResponseBytes;
    this.#secrets = init.secrets ?? [];
  }

  secrets(): readonly string[] {
    return this.#secrets;
  }

  reconnect(failure: unknown): Promise<StreamResponse> {
    this.reconnects.push(failure);
    const response = this.responses[this.#next++];
    return response === undefined ? Promise.reject(failure) : Promise.resolve(response);
  }
}

/** A source of one response playing `steps`. */
export function sourceOf(
  steps: Iterable<Step>,
  init: Omit<MemorySourceInit, "responses"> & ResponseInit = {},
) {
  return new MemorySource({ ...init, responses: [new MemoryResponse(steps, init)] });
}
