import { test } from "node:test";
import assert from "node:assert/strict";
import {
  type BatchItem,
  type BatchingOptions,
  type ChatHistoryItem,
  type CustomBatchingPrioritizationStrategy,
  type LlamaContext,
  LlamaChat,
  getLlama,
  resolveChatWrapper,
} from "node-llama-cpp";
import { LockstepBatching } from "../../../src/server/engine/lockstep-batching.js";
import { createServer } from "../../../src/server/index.js";
import { tinyModelPath } from "../../support/tiny-model.js";
import { ask, postJson } from "../../support/tiny-server.js";

const item = (tokens: number): BatchItem => ({
  tokens: Array.from({ length: tokens }, (_, i) => i) as never,
  logits: [],
  evaluationPriority: 5,
});
const strategyOf = (batching: LockstepBatching) =>
  batching.options.itemPrioritizationStrategy as CustomBatchingPrioritizationStrategy;

test("issue 10 lockstep: the batch waits until every generating sequence has queued its token", () => {
  const seen: [number, number][] = [];
  const batching = new LockstepBatching(({ sequences, expected }) => seen.push([sequences, expected]));
  const strategy = strategyOf(batching);
  const leaves = [batching.join(), batching.join(), batching.join()];
  assert.deepEqual(strategy({ items: [item(1), item(1)], size: 512 }), [], "two of three: wait");
  const three = [item(1), item(1), item(1)];
  assert.deepEqual(
    strategy({ items: three, size: 512 }).map((p) => [p.item, p.processAmount]),
    three.map((i) => [i, 1]),
  );
  leaves[0]();
  leaves[0](); // a second leave changes nothing
  assert.equal(strategy({ items: [item(1), item(1)], size: 512 }).length, 2, "two of two: go");
  assert.deepEqual(seen, [
    [3, 3],
    [2, 2],
  ]);
});

test("issue 10 lockstep: a sequence that never queues holds the others back only a bounded number of looks", () => {
  const batching = new LockstepBatching();
  const strategy = strategyOf(batching);
  batching.join();
  batching.join();
  const alone = [item(1)];
  let looks = 0;
  while (strategy({ items: alone, size: 512 }).length === 0)
    assert.ok(++looks <= 1000, "it must give up waiting");
  assert.ok(looks >= 10, `it waited ${looks} looks`);
  assert.equal(strategy({ items: alone, size: 512 }).length === 0, true, "the next step waits again");
});

test("issue 10 lockstep: a long prompt shares the batch with the generating sequences' tokens", () => {
  const batching = new LockstepBatching();
  const strategy = strategyOf(batching);
  batching.join();
  batching.join();
  const prompt = item(2000);
  const batch = strategy({ items: [item(1), prompt, item(1)], size: 512 });
  assert.deepEqual(
    batch.map((p) => p.processAmount),
    [1, 510, 1],
  );
  assert.equal(batch[1].item, prompt);
});

test("issue 10 lockstep: an attached batch goes in ascending sequence order (llama.cpp decodes consecutive ids in one pass)", () => {
  const batches: (readonly number[] | undefined)[] = [];
  const batching = new LockstepBatching(({ sequenceIds }) => batches.push(sequenceIds));
  const strategy = strategyOf(batching);
  const items = [item(1), item(1), item(1), item(30)];
  const queue = {
    _queuedDecodes: [2, 0, 3, 1].map((sequenceId, i) => ({ sequenceId, tokens: items[i].tokens })),
  };
  batching.attach(queue as never);
  const batch = strategy({ items, size: 512 });
  assert.deepEqual(
    batch.map((p) => p.item),
    [items[1], items[3], items[0], items[2]],
  );
  assert.deepEqual(
    batch.map((p) => p.processAmount),
    [1, 30, 1, 1],
  );
  // A queue that does not match the items (node-llama-cpp's internals changed): the queue's order.
  queue._queuedDecodes[0] = { sequenceId: 2, tokens: item(1).tokens };
  assert.deepEqual(
    strategy({ items, size: 512 }).map((p) => p.item),
    items,
  );
  assert.deepEqual(batches, [[0, 1, 2, 3], undefined]);
});

/** Four greedy generations of `tokens` on one context; the sizes of the batches decoded. */
async function generateFour(
  tokens: number,
  batching: (record: (size: number) => void) => {
    options: BatchingOptions;
    join?: () => () => void;
    attach?: (context: LlamaContext) => void;
  },
): Promise<{ batches: number[]; replies: string[] }> {
  const llama = await getLlama({ gpu: false, build: "never", skipDownload: true, maxThreads: 1 });
  const model = await llama.loadModel({ modelPath: await tinyModelPath({ eosBias: -1000 }) });
  const batches: number[] = [];
  const { options, join, attach } = batching((size) => batches.push(size));
  let context: LlamaContext | undefined;
  try {
    context = await model.createContext({ contextSize: 512, sequences: 4, threads: 1, batching: options });
    attach?.(context);
    const chatWrapper = resolveChatWrapper(model) ?? undefined;
    const replies = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const chat = new LlamaChat({ contextSequence: context!.getSequence(), chatWrapper });
        const history: ChatHistoryItem[] = [
          { type: "user", text: `Story number ${i}` },
          { type: "model", response: [] },
        ];
        let leave: (() => void) | undefined;
        try {
          const { response } = await chat.generateResponse(history, {
            maxTokens: tokens,
            temperature: 0,
            onToken: () => (leave ??= join?.()),
          });
          return response;
        } finally {
          leave?.();
        }
      }),
    );
    return { batches, replies };
  } finally {
    await context?.dispose();
    await model.dispose();
  }
}

test("issue 10 lockstep: four generating sequences decode one batch of four per step (real llama.cpp)", async () => {
  const tokens = 40;
  const orders: string[] = [];
  const lockstep = await generateFour(tokens, (record) => {
    const batching = new LockstepBatching(({ sequences, sequenceIds }) => {
      record(sequences);
      orders.push(String(sequenceIds));
    });
    return { options: batching.options, join: () => batching.join(), attach: (c) => batching.attach(c) };
  });
  // The prompts decode together, then each step decodes all four tokens at once, in sequence order.
  assert.deepEqual(lockstep.batches, Array(tokens).fill(4));
  assert.deepEqual(orders, Array(tokens).fill("0,1,2,3"));

  // node-llama-cpp's own batching on the same work: the step is split (what this fixes). If this
  // ever fails, node-llama-cpp batches all sequences itself and lockstep-batching.ts can go.
  const own = await generateFour(tokens, (record) => ({
    options: {
      itemPrioritizationStrategy: ({ items }: { items: readonly BatchItem[] }) => {
        record(items.length);
        return items.map((item) => ({ item, processAmount: item.tokens.length }));
      },
    },
  }));
  assert.ok(
    own.batches.length > tokens * 1.2,
    `node-llama-cpp's batching took ${own.batches.length} batches`,
  );
  assert.deepEqual(lockstep.replies, own.replies, "batching changes no reply");
});

test("issue 10 four concurrent requests on a server of four slots all run to max_tokens", async () => {
  await using server = await createServer({
    modelPath: await tinyModelPath({ eosBias: -1000 }),
    maxConcurrent: 4,
    log: false,
  });
  const replies = await Promise.all(
    Array.from({ length: 4 }, async (_, i) => {
      const response = await postJson(server.fetch, "/chat/completions", {
        messages: ask(`Story number ${i}`),
        max_tokens: 30 + i * 10,
        temperature: 0,
      });
      assert.equal(response.status, 200);
      return (await response.json()) as {
        usage: { completion_tokens: number };
        choices: { finish_reason: string }[];
      };
    }),
  );
  assert.deepEqual(
    replies.map((r) => [r.usage.completion_tokens, r.choices[0].finish_reason]),
    [30, 40, 50, 60].map((n) => [n, "length"]),
  );
});
