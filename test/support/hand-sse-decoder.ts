// A hand-written server-sent events reader, kept as the contender that src/streaming/decode.ts
// (eventsource-parser underneath) was measured against: same interface, same tests
// (test/streaming/decode.test.ts runs both), compared in bench/streaming.bench.ts ("SSE reader").
import type { SseDecoderHandlers } from "../../src/streaming/decode.js";

const LF = 10;
const COLON = 58;
const SPACE = 32;
const STREAM = { stream: true } as const;

export class HandSseDecoder {
  readonly #text = new TextDecoder();
  readonly #handlers: SseDecoderHandlers;
  #stopped = false;
  #afterCR = false;
  /** The start of a line whose end has not arrived yet. */
  #pending = "";
  /** The data lines of the event being read, joined; `undefined` when none came. */
  #data: string | undefined;
  #event: string | undefined;

  constructor(handlers: SseDecoderHandlers) {
    this.#handlers = handlers;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  feed(bytes: Uint8Array): void {
    if (!this.#stopped) this.#feedText(this.#text.decode(bytes, STREAM));
  }

  end(): void {
    if (this.#stopped) return;
    this.#feedText(this.#text.decode());
    if (!this.#stopped && this.#pending !== "") {
      const line = this.#pending;
      this.#pending = "";
      this.#line(line, 0, line.length);
    }
    if (!this.#stopped) this.#dispatch();
    this.#stopped = true;
  }

  #feedText(text: string): void {
    const length = text.length;
    let position = 0;
    if (this.#afterCR && length > 0) {
      this.#afterCR = false;
      if (text.charCodeAt(0) === LF) position = 1;
    }
    // Both terminators' next positions are cached, so that a stream using only one of them never
    // makes the search for the other rescan the rest of the text (linear for lone-CR streams too).
    let nextLF = text.indexOf("\n", position);
    let nextCR = text.indexOf("\r", position);
    while (position < length && !this.#stopped) {
      if (nextLF !== -1 && nextLF < position) nextLF = text.indexOf("\n", position);
      if (nextCR !== -1 && nextCR < position) nextCR = text.indexOf("\r", position);
      let end: number;
      let next: number;
      if (nextCR !== -1 && (nextLF === -1 || nextCR < nextLF)) {
        end = nextCR;
        next = end + 1;
        if (next === length) this.#afterCR = true;
        else if (text.charCodeAt(next) === LF) next++;
      } else if (nextLF !== -1) {
        end = nextLF;
        next = end + 1;
      } else {
        this.#pending += position === 0 ? text : text.slice(position);
        return;
      }
      if (this.#pending === "") {
        this.#line(text, position, end);
      } else {
        const line = this.#pending + text.slice(position, end);
        this.#pending = "";
        this.#line(line, 0, line.length);
      }
      position = next;
    }
  }

  #line(text: string, start: number, end: number): void {
    if (start === end) {
      this.#dispatch();
      return;
    }
    const first = text.charCodeAt(start);
    if (first === COLON) return; // a comment
    if (
      first === 100 && // d
      text.charCodeAt(start + 1) === 97 && // a
      text.charCodeAt(start + 2) === 116 && // t
      text.charCodeAt(start + 3) === 97 && // a
      text.charCodeAt(start + 4) === COLON
    ) {
      const valueStart = text.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5;
      const value = valueStart >= end ? "" : text.slice(valueStart, end);
      this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
      return;
    }
    const colon = text.indexOf(":", start);
    const hasColon = colon !== -1 && colon < end;
    const field = text.slice(start, hasColon ? colon : end);
    let value = "";
    if (hasColon) {
      const valueStart = text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1;
      value = valueStart >= end ? "" : text.slice(valueStart, end);
    }
    const line = text.slice(start, end);
    switch (field) {
      case "event":
        this.#event = value === "" ? undefined : value;
        break;
      case "data":
        this.#data = this.#data === undefined ? value : `${this.#data}\n${value}`;
        break;
      case "id":
        break; // the last event id matters only to reconnecting EventSources
      case "retry":
        if (!/^\d+$/.test(value)) {
          this.#handlers.onProblem?.({
            type: "invalid-retry",
            message: `Invalid retry "${value}"`,
            value,
            line,
          });
        }
        break;
      default:
        this.#handlers.onProblem?.({
          type: "unknown-field",
          message: `Unknown field "${field}"`,
          field,
          value,
          line,
        });
    }
  }

  #dispatch(): void {
    const data = this.#data;
    const event = this.#event;
    this.#data = undefined;
    this.#event = undefined;
    if (data !== undefined && this.#handlers.onEvent({ event, data }) === false) this.#stopped = true;
  }
}
