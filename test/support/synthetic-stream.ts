// The benchmark stream of perf-anchors.md §1, made deterministically: chunks shaped like
// OpenAI's, the first carrying the role, about 20% of the tokens multi-byte, the last with an
// empty delta and finish_reason "stop", then `data: [DONE]`.

const MULTI_BYTE = ["é", "ü", "—", "€", "日本語", "🙂", "🚀"];
const WORDS = [" token", " the", " model", " stream", " of", " answer", " and", " chunk", " a", " text"];

/** mulberry32: a small seeded generator, so every run builds the same bytes. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticStream {
  /** The whole body, UTF-8. */
  readonly bytes: Uint8Array;
  /** Chunks in the body (not counting `[DONE]`). */
  readonly chunks: number;
  /** The content text of all chunks joined, for correctness checks. */
  readonly content: string;
}

/** A chat completion stream of `chunks` chunks (at least 2), the same for the same seed. */
export function syntheticChatStream(chunks: number, seed = 20261128): SyntheticStream {
  const next = random(seed);
  const id = `chatcmpl-${Math.floor(next() * 2 ** 48).toString(36)}Ab3dE5fG7hI9jKl1M2n`;
  const head = `{"id":"${id}","object":"chat.completion.chunk","created":1732752000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_5f20662549","choices":[{"index":0,"delta":`;
  const events: string[] = [];
  const content: string[] = [];
  for (let i = 0; i < chunks - 1; i++) {
    const token =
      next() < 0.2
        ? MULTI_BYTE[Math.floor(next() * MULTI_BYTE.length)]
        : WORDS[Math.floor(next() * WORDS.length)];
    content.push(token);
    const delta = i === 0 ? { role: "assistant", content: token, refusal: null } : { content: token };
    events.push(`data: ${head}${JSON.stringify(delta)},"logprobs":null,"finish_reason":null}]}\n\n`);
  }
  events.push(`data: ${head}{},"logprobs":null,"finish_reason":"stop"}]}\n\n`);
  events.push("data: [DONE]\n\n");
  return { bytes: new TextEncoder().encode(events.join("")), chunks, content: content.join("") };
}
