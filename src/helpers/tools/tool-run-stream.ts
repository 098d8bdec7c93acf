// A streamed tool run: the events of the loop, read once, and the run's result.
import { AbortError } from "../../errors.js";
import type { RunToolsResult, ToolRunEvent } from "./run-tools-types.js";
import type { LoopEvent } from "./tool-loop.js";

/**
 * The events of a streamed tool run (`runTools(client, { ..., stream: true })`): each update of each
 * answer as it arrives, each answer accumulated (through `finalChatCompletions()`), each tool call
 * as it starts and each result as soon as it is ready.
 * It can be read once. `result()` reads whatever is left and resolves to the run's result.
 *
 * Leaving a `for await` loop early (or `close()`, or the end of an `await using` block) ends the run:
 * the response being read is closed,
 * running tools get an aborted signal, no further request is made, and `result()` rejects with
 * `AbortError`. A failure of a later round rejects the iteration and `result()` alike.
 * @example
 * const run = await runTools(client, { messages, tools, stream: true });
 * for await (const event of run) {
 *   if (event.type === "update") process.stdout.write(event.update.text);
 * }
 * const { messages: conversation } = await run.result();
 */
export class ToolRunStream<T = unknown> implements AsyncIterable<ToolRunEvent> {
  readonly #loop: AsyncGenerator<LoopEvent, RunToolsResult, undefined>;
  readonly #controller: AbortController;
  readonly #release: (result: RunToolsResult | undefined, error?: unknown) => void;
  readonly #result: Promise<RunToolsResult<T>>;
  #settle!: { resolve(result: RunToolsResult<T>): void; reject(error: unknown): void };
  /** How the run is being read, once claimed. */
  #readBy: "iteration" | "result()" | undefined;
  #finished = false;

  /** @internal Built by `runTools()`. */
  constructor(
    loop: AsyncGenerator<LoopEvent, RunToolsResult, undefined>,
    controller: AbortController,
    release: (result: RunToolsResult | undefined, error?: unknown) => void,
  ) {
    this.#loop = loop;
    this.#controller = controller;
    this.#release = release;
    this.#result = new Promise<RunToolsResult<T>>((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
    // Reported through the iteration when nobody asks for result(): never an unhandled rejection.
    this.#result.catch(() => {});
  }

  /** Iterates the events. A run can be read once. */
  [Symbol.asyncIterator](): AsyncIterableIterator<ToolRunEvent> {
    this.#claim("iteration");
    const iterator: AsyncIterableIterator<ToolRunEvent> = {
      next: () => this.#next(),
      return: async () => {
        await this.close();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Reads the rest of the run (when it was not iterated) and resolves to its result. */
  result(): Promise<RunToolsResult<T>> {
    if (this.#readBy === undefined) {
      this.#claim("result()");
      void this.#drain();
    }
    return this.#result;
  }

  /** Ends the run early: closes the response being read and aborts the tools that are running. */
  async close(): Promise<void> {
    if (this.#finished) return;
    this.#finish(undefined, new AbortError("The tool run was closed before it ended."));
    this.#controller.abort(new AbortError("The tool run was closed."));
    await this.#loop.return(undefined as never).catch(() => {});
  }

  /** `await using run = await runTools(...)` closes the run when the block ends. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  async #next(): Promise<IteratorResult<ToolRunEvent, undefined>> {
    if (this.#finished) return { done: true, value: undefined };
    try {
      let step = await this.#loop.next();
      while (!step.done && step.value.type === "opened") step = await this.#loop.next();
      if (!step.done) return step as IteratorResult<ToolRunEvent, undefined>;
      this.#finish(step.value);
    } catch (error) {
      this.#finish(undefined, error);
      throw error;
    }
    return { done: true, value: undefined };
  }

  async #drain(): Promise<void> {
    try {
      while (!(await this.#next()).done);
    } catch {
      // Already passed to result().
    }
  }

  #finish(result: RunToolsResult | undefined, error?: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#release(result, error);
    if (result !== undefined) this.#settle.resolve(result as RunToolsResult<T>);
    else this.#settle.reject(error);
  }

  #claim(how: "iteration" | "result()"): void {
    if (this.#readBy !== undefined) {
      throw new TypeError(`A tool run can be read once; this one is already read by ${this.#readBy}.`);
    }
    this.#readBy = how;
  }
}
