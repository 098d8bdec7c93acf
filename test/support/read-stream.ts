// Reads a streamed chat completion through the real client, for the end-to-end tests
// (test/streaming/end-to-end*.test.ts): every update as its wire dict, then the accumulated answer
// (or the error, with what had arrived).
import {
  AzureKeyCredential,
  ChatCompletionsClient,
  type ChatCompletionsClientOptions,
  type CompleteOptions,
  type StreamingChatCompletions,
} from "../../src/index.js";
import type { ReplyPlan } from "./loopback-server.js";
import type { TransportCase } from "./transports.js";

type Json = Record<string, unknown>;

export const SSE_HEADERS = { "content-type": "text/event-stream" } as const;

/** A reply plan writing `chunks` as an event stream, each piece on its own after `pauseMs`. */
export function ssePlan(chunks: readonly (string | Uint8Array)[], extra: Partial<ReplyPlan> = {}): ReplyPlan {
  return { headers: SSE_HEADERS, chunks, pauseMs: 15, ...extra };
}

/** A client on `url` over `transport`, with retries that wait 1 ms. */
export function streamClient(
  transport: TransportCase,
  url: string,
  options: ChatCompletionsClientOptions = {},
): ChatCompletionsClient {
  return new ChatCompletionsClient(url, new AzureKeyCredential("stream-key"), {
    ...transport.options,
    retryDelayMs: 1,
    ...options,
  });
}

export interface ReadResult {
  readonly stream: StreamingChatCompletions;
  readonly updates: Json[];
  /** The accumulated answer, when the stream ended without an error. */
  readonly final: Json | undefined;
  readonly error: unknown;
}

export const hi = [{ role: "user", content: "hi" }];

/** `complete({ stream: true })`, then the whole stream through `for await` and `finalChatCompletions()`. */
export async function readThrough(
  client: ChatCompletionsClient,
  options: Partial<CompleteOptions> = {},
): Promise<ReadResult> {
  const stream = await client.complete({ messages: hi, ...options, stream: true });
  return readAll(stream);
}

export async function readAll(stream: StreamingChatCompletions): Promise<ReadResult> {
  const updates: Json[] = [];
  let error: unknown;
  try {
    for await (const update of stream) updates.push(update.asDict());
  } catch (e) {
    error = e;
  }
  const final = error === undefined ? (await stream.finalChatCompletions()).asDict() : undefined;
  return { stream, updates, final, error };
}

export const choiceOf = (final: Json | undefined): Json => (final!.choices as Json[])[0];
export const messageIn = (final: Json | undefined): Json => choiceOf(final).message as Json;
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
