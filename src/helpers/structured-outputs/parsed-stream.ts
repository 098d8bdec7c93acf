// A streamed structured answer: the updates as they arrive, the partially parsed object each time
// it changes (partial-json, the parser openai-node also builds on), and the whole answer parsed and
// validated at the end, as parse() does.
import { Allow, parse as parsePartialJson } from "partial-json";
import type { StreamingChatCompletionsUpdate } from "../../models/streaming-updates.js";
import type { StreamingChatCompletions } from "../../streaming/stream.js";
import { parseChoices } from "./parse-choices.js";
import type { ParsedChatCompletions } from "./parsed-message.js";
import type { ResponseSchema } from "./response-schema.js";

/** Every key optional, at every depth: what a partial answer may hold so far. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

// Strings, arrays, objects and literals may be partial; a number shows only once it is whole (a
// partial "33" of 330 would be a wrong value, not an unfinished one).
const PARTIAL = Allow.ALL ^ Allow.NUM;
/** Past this many characters, re-parse only once the text has grown by a sixteenth: linear overall. */
const EAGER_LIMIT = 64 * 1024;

/**
 * What `parse(client, { ..., stream: true })` resolves to, once the response's headers have
 * arrived. Read it one way: iterate the updates (`for await`), or `partialObjects()`, and then (or
 * instead) `finalChatCompletions()`, which reads whatever is left and parses and validates the
 * whole answer, throwing the errors `parse()` throws.
 * @example
 * const stream = await parse(client, { messages, responseFormat: Landmark, stream: true });
 * for await (const partial of stream.partialObjects()) render(partial); // { name: "Eiff" }...
 * const answer = await stream.finalChatCompletions(); // validated: answer.choices[0].message.parsed
 */
export class ParsedChatCompletionsStream<
  T,
  P = DeepPartial<T>,
> implements AsyncIterable<StreamingChatCompletionsUpdate> {
  readonly #stream: StreamingChatCompletions;
  readonly #schema: ResponseSchema;
  #final: Promise<ParsedChatCompletions<T>> | undefined;

  /** @internal Built by `parse()`. */
  constructor(stream: StreamingChatCompletions, schema: ResponseSchema) {
    this.#stream = stream;
    this.#schema = schema;
  }

  /** The response's headers. */
  get headers(): Headers {
    return this.#stream.headers;
  }

  /** The updates, as `StreamingChatCompletions` gives them. Leaving the loop early closes the stream. */
  [Symbol.asyncIterator](): AsyncIterableIterator<StreamingChatCompletionsUpdate> {
    return this.#stream[Symbol.asyncIterator]();
  }

  /**
   * The content of choice `choiceIndex` (0 by default) parsed as far as it has arrived, yielded each
   * time it changes: unfinished strings, arrays and objects show as far as they go; a number
   * shows once whole. A partial value is what the model wrote, not yet checked: defaults and
   * transforms apply only to the final one. Content that is not JSON yields nothing. Once the
   * stream ends, the whole answer is parsed and validated: a refusal, a cut answer or one that
   * fails the schema rejects the iteration with the error `parse()` throws.
   */
  async *partialObjects({ choiceIndex = 0 }: { choiceIndex?: number } = {}): AsyncGenerator<
    P,
    void,
    undefined
  > {
    let text = "";
    let parsedLength = 0;
    let last: string | undefined;
    for await (const update of this.#stream) {
      const choices = update.get("choices");
      if (!Array.isArray(choices)) continue;
      for (const choice of update.choices) {
        if (choice.index !== choiceIndex) continue;
        const piece = choice.delta?.content;
        if (typeof piece === "string") text += piece;
      }
      if (text.length === parsedLength) continue;
      if (text.length > EAGER_LIMIT && text.length - parsedLength < text.length / 16) continue;
      parsedLength = text.length;
      const partial = tryPartial(text);
      if (partial === undefined) continue;
      const serialized = JSON.stringify(partial);
      if (serialized === last) continue;
      last = serialized;
      yield partial as P;
    }
    const final = await this.finalChatCompletions();
    const content = final.choices[choiceIndex]?.message?.content;
    if (typeof content === "string" && content.length !== parsedLength) {
      const partial = tryPartial(content);
      if (partial !== undefined && JSON.stringify(partial) !== last) yield partial as P;
    }
  }

  /**
   * Reads the rest of the stream and resolves to the whole answer, parsed and validated as
   * `parse()` returns it (`choices[i].message.parsed`). Rejects as `parse()` does, and with the
   * stream's own error (whose `partial` holds what arrived) when the stream failed.
   */
  finalChatCompletions(): Promise<ParsedChatCompletions<T>> {
    this.#final ??= this.#stream
      .finalChatCompletions()
      .then((completions) => parseChoices<T>(completions, this.#schema));
    return this.#final;
  }

  /** Closes the connection (idempotent); `finalChatCompletions()` then parses what had arrived. */
  close(): void {
    this.#stream.close();
  }

  /** `await using stream = ...` closes the connection at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}

function tryPartial(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return parsePartialJson(text, PARTIAL);
  } catch {
    return undefined; // not JSON (yet, or at all): the final parse says which
  }
}
