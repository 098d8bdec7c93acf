// One llama_decode per step over every generating sequence, as llama.cpp's own server does (issue
// 10). node-llama-cpp batches whatever decodes are queued when its dispatch loop looks, and the
// loop looks again the moment a decode finishes and its tokens are sampled. By then the sequences
// sampled first have already queued their next token (it all happens in microtasks) but the one
// sampled last has not, so with four sequences generating, each step decoded three and the fourth
// rode alone or in the next step: on a compute-bound model four clients got 1.2 times one client's
// throughput where llama-server gets 2.3 times.
//
// The fix holds the batch until every generating sequence has queued its token. The loop asks the
// prioritization strategy which queued items to decode; answering "none yet" makes it look again
// after a few microtasks, which is exactly when the late sequence's own microtasks queue its token
// (typically one look per late sequence). A sequence counts as generating from its first token to
// the end of its run, and as arriving from the batch that completes its prompt until its first
// token, so a request still preparing its prompt never holds the others back. The wait is bounded
// in case a sequence stalls between tokens on something slower than a microtask.
//
// One batch is not yet one pass over the weights. A context of several sequences keeps a KV cache
// stream per sequence (llama.cpp's `kv_unified` off, as in llama-server), and llama.cpp then cuts a
// batch into micro-batches of consecutive, increasing sequence ids (`split_equal(…, sequential)` in
// llama-batch.cpp), each a pass of its own. node-llama-cpp queues the items in the order their
// sampling finished, which is random: sequences 2, 0, 3, 1 ran as {2, 3} then {0, 1}, and 3, 2, 1, 0
// as four passes (2.5 on average over the orders of four). So the batch goes in ascending sequence
// order (`attach`), and the sequence pool lends the lowest free sequence, which keeps the ids of
// the generating sequences consecutive.
import type { BatchItem, BatchingOptions, LlamaContext, PrioritizedBatchItem } from "node-llama-cpp";

/** Looks at the queue before decoding what is there anyway (a look costs about a microsecond). */
const maxLooksPerStep = 100;

/** What `LockstepBatching` reports of each batch it lets through. */
export interface LockstepBatch {
  /** Sequences in the batch. */
  readonly sequences: number;
  /** Sequences it waited for: the generating ones and those whose prompt just completed. */
  readonly expected: number;
  /** Times the queue was looked at before this batch went. */
  readonly looks: number;
  /** The batch's sequence ids in batch order, when the context is attached. */
  readonly sequenceIds?: readonly number[];
}

/** The sequence id of each queued item, in the order of `items`, or undefined when unknown. */
type SequenceIdsOf = (items: readonly BatchItem[]) => readonly number[] | undefined;

/** The batching options of a context, and the count of its sequences generating in lockstep. */
export class LockstepBatching {
  private generating = 0;
  private arriving = 0;
  private looks = 0;
  private sequenceIdsOf: SequenceIdsOf | undefined;

  /** `onBatch` is told of each batch decoded (diagnostics and tests). */
  constructor(private readonly onBatch?: (batch: LockstepBatch) => void) {}

  readonly options: BatchingOptions = {
    // A generating sequence's next token decodes at once rather than after a turn of the event
    // loop (the strategy below gathers the others). Only prompts wait for the turn, so that the
    // prompts of requests that arrive together decode together.
    dispatchSchedule: (dispatch) => (this.generating === 0 ? setImmediate(dispatch) : dispatch()),
    itemPrioritizationStrategy: ({ items, size }) => {
      const expected = this.generating + this.arriving;
      if (items.length < expected && this.looks < maxLooksPerStep) {
        this.looks++;
        return [];
      }
      const ids = this.sequenceIdsOf?.(items);
      const ordered = ids ? inSequenceOrder(items, ids) : undefined;
      const batch = shareBatch(ordered?.items ?? items, size);
      this.onBatch?.({
        sequences: items.length,
        expected,
        looks: this.looks,
        sequenceIds: ordered?.ids.slice(0, batch.length),
      });
      this.looks = 0;
      this.arriving = batch.filter(completesPrompt).length;
      return batch;
    },
  };

  /**
   * Orders each batch by sequence id from now on (call it once the context made from `options`
   * exists). node-llama-cpp does not tell a prioritization strategy whose items it decides on, so
   * this reads the context's queue, whose items are the strategy's in the same order; when that
   * does not hold (a node-llama-cpp that changed its internals) batches keep the queue's order.
   */
  attach(context: LlamaContext): void {
    this.sequenceIdsOf = (items) => {
      const queued = (context as unknown as { _queuedDecodes?: unknown })._queuedDecodes;
      if (!Array.isArray(queued) || queued.length !== items.length) return undefined;
      const ids: number[] = [];
      for (const [index, entry] of (queued as { sequenceId?: unknown; tokens?: unknown }[]).entries()) {
        if (entry.tokens !== items[index].tokens || typeof entry.sequenceId !== "number") return undefined;
        ids.push(entry.sequenceId);
      }
      return ids;
    };
  }

  /**
   * Counts a sequence as generating (call it on its first token); returns the function that stops
   * counting it (call it when its run ends), which is safe to call twice.
   */
  join(): () => void {
    this.generating++;
    if (this.arriving > 0) this.arriving--;
    let joined = true;
    return () => {
      if (!joined) return;
      joined = false;
      this.generating--;
    };
  }
}

function inSequenceOrder(items: readonly BatchItem[], ids: readonly number[]) {
  const order = items.map((_, index) => index).sort((a, b) => ids[a] - ids[b]);
  return { items: order.map((index) => items[index]), ids: order.map((index) => ids[index]) };
}

/** Whether the batch decodes the rest of a prompt and samples a first token from it. */
function completesPrompt({ item, processAmount }: PrioritizedBatchItem): boolean {
  return item.tokens.length > 1 && processAmount === item.tokens.length && item.logits.at(-1) === true;
}

/**
 * node-llama-cpp's "maximumParallelism" strategy: every item gets an equal share of the batch,
 * then the rest goes to the items that still have tokens, so a long prompt never starves the
 * generating sequences of their one token per step.
 */
function shareBatch(items: readonly BatchItem[], size: number): PrioritizedBatchItem[] {
  let free = size;
  const share = Math.floor(size / items.length);
  const result: PrioritizedBatchItem[] = [];
  for (const item of items) {
    if (free === 0) break;
    const processAmount = Math.min(item.tokens.length, free, Math.max(1, share));
    result.push({ item, processAmount });
    free -= processAmount;
  }
  for (const entry of result) {
    if (free === 0) break;
    const more = Math.min(entry.item.tokens.length - entry.processAmount, free);
    entry.processAmount += more;
    free -= more;
  }
  return result;
}
