// Replays the recordings of test/fixtures/recordings (real traffic, see its README) on a loopback
// server: request n gets entry n's status, headers and body bytes (an SSE body's event strings
// written concatenated, split however the test wants), and `verify()` checks that what the client
// sent matches what the recorded client sent: method, path, query, the headers that carry meaning,
// and the body.
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import {
  type LoopbackServer,
  type RecordedRequest,
  type ReplyPlan,
  useLoopbackServer,
} from "./loopback-server.js";
import { type RecordedEntry, type Recording, header, isEventStream, loadRecording } from "./recordings.js";

/** The exact bytes of a recorded response body: JSON compact, text as is, SSE events concatenated. */
export function responseBody(entry: RecordedEntry): string {
  const body = entry.ResponseBody;
  if (body === null || body === undefined) return "";
  if (typeof body === "string") return body;
  if (Array.isArray(body) && body.every((item) => typeof item === "string") && isEventStream(entry)) {
    return body.join("");
  }
  return JSON.stringify(body);
}

// Framing headers describe the original bytes (JSON bodies are stored re-formatted), so the
// server recomputes them.
const FRAMING = new Set([
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "content-encoding",
]);

/** The reply plan of a recorded response; `split` cuts the body into the reads the client will see. */
export function responsePlan(
  entry: RecordedEntry,
  options: { split?: (body: Uint8Array) => Uint8Array[]; pauseMs?: number } = {},
): ReplyPlan {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(entry.ResponseHeaders)) {
    if (!FRAMING.has(name.toLowerCase())) headers[name] = value;
  }
  const bytes = new TextEncoder().encode(responseBody(entry));
  return {
    status: entry.StatusCode,
    headers,
    chunks: options.split ? options.split(bytes) : bytes.length === 0 ? [] : [bytes],
    pauseMs: options.pauseMs,
  };
}

/** The operation paths of protocol.md P1, longest first. */
const OPERATIONS = ["/images/embeddings", "/chat/completions", "/embeddings", "/info"];

/** The endpoint to give a client so that it sends the recorded path to `serverUrl`. */
export function endpointFor(entry: RecordedEntry, serverUrl: string): string {
  const path = new URL(entry.RequestUri).pathname;
  const operation = OPERATIONS.find((op) => path.endsWith(op));
  if (operation === undefined) throw new Error(`No known operation in ${entry.RequestUri}`);
  return `${serverUrl}${path.slice(0, -operation.length)}`;
}

export interface SentCheck {
  /** Headers compared by value (media types without parameters). @default accept, content-type, extra-parameters */
  readonly headers?: readonly string[];
  /** Compare the body. @default true */
  readonly body?: boolean;
}

/** Asserts that `received` is the request the recorded client sent in `entry`. */
export function assertSentAsRecorded(
  received: RecordedRequest,
  entry: RecordedEntry,
  check: SentCheck = {},
): void {
  const recorded = new URL(entry.RequestUri);
  assert.equal(received.method, entry.RequestMethod, "method");
  assert.equal(received.path, recorded.pathname, "path");
  assert.deepEqual(received.query, Object.fromEntries(recorded.searchParams), "query");
  for (const name of check.headers ?? ["accept", "content-type", "extra-parameters"]) {
    const want = header(entry.RequestHeaders, name);
    const got = received.headers[name.toLowerCase()];
    assert.equal(mediaType(got as string | undefined), mediaType(want), `header ${name}`);
  }
  if (check.body !== false) {
    const want = entry.RequestBody;
    if (want === null || want === undefined || want === "") assert.equal(received.text, "", "body");
    else assert.deepEqual(received.json(), want, "body");
  }
}

function mediaType(value: string | undefined): string | undefined {
  return value?.split(";")[0].trim().toLowerCase();
}

export interface Replay {
  readonly server: LoopbackServer;
  readonly recording: Recording;
  /** The endpoint for a client, pointing at the server with the recorded path. */
  readonly endpoint: string;
  /** Asserts that the client sent each recorded request (and no other). */
  verify(check?: SentCheck): void;
}

/** Serves a recording's responses in order on a loopback server closed when `t` ends. */
export async function startReplay(
  t: TestContext,
  name: string,
  options: { split?: (body: Uint8Array) => Uint8Array[]; pauseMs?: number } = {},
): Promise<Replay> {
  const recording = loadRecording(name);
  const server = await useLoopbackServer(
    t,
    ...recording.entries.map((entry) => responsePlan(entry, options)),
  );
  return {
    server,
    recording,
    endpoint: endpointFor(recording.entries[0], server.url),
    verify(check) {
      assert.equal(server.requests.length, recording.entries.length, "number of requests");
      recording.entries.forEach((entry, i) => assertSentAsRecorded(server.requests[i], entry, check));
    },
  };
}
