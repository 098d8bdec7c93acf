// A streamed structured answer: the updates as they arrive, the partially parsed object each time
// it changes (partial-json.ts), and the whole answer parsed and validated at the end, as parse() does.
import type { StreamingChatCompletionsUpdate } from "../../models/streaming-updates.js";
import type { StreamingChatCompletions } from "../../streaming/stream.js";
import { parseChoices } from "./parse-choices.js";
import { PartialJson } from "./partial-json.js";
import type { ParsedChatCompletions } from "./parsed-message.js";
import type { ResponseSchema } from "./response-schema.js";

/** Every key optional, at every depth: what a partial answer may hold so far. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/**
 * Past this many characters, re-read only once the text has grown by a sixteenth: each reading is
 * a JSON.parse of the whole prefix, and this keeps their sum linear in the answer.
 */
const EAGER_LIMIT = 8 * 1024;

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
    const json = new PartialJson();
    let readLength = 0;
    let last: string | undefined;
    const changed = (): string | undefined => {
      readLength = json.text.length;
      const completed = json.completed();
      if (completed === undefined || completed === last) return undefined;
      last = completed;
      return completed;
    };
    for await (const update of this.#stream) {
      if (!Array.isArray(update.get("choices"))) continue;
      for (const choice of update.choices ?? []) {
        if (choice.index !== choiceIndex) continue;
        const piece = choice.delta?.content;
        if (typeof piece === "string" && piece !== "") json.push(piece);
      }
      const length = json.text.length;
      if (length === readLength || (length > EAGER_LIMIT && length - readLength < length / 16)) continue;
      const partial = readPartial(changed());
      if (partial !== undefined) yield partial as P;
    }
    await this.finalChatCompletions();
    // What arrived after the last reading (past 8 KB, up to the last sixteenth).
    if (json.text.length !== readLength) {
      const partial = readPartial(changed());
      if (partial !== undefined) yield partial as P;
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

/** The partial value of a completed text; `undefined` when there is none or the runtime cannot read it (nesting too deep). */
function readPartial(completed: string | undefined): unknown {
  if (completed === undefined) return undefined;
  try {
    return JSON.parse(completed);
  } catch {
    return undefined; // the final parse reports what is wrong
  }
}
