// Every non-streamed recording of real traffic, replayed over loopback on both transports: the
// client must send what the recorded client sent (path, query, meaningful headers, body) and
// return the recorded answer as a model, or the right error with the service's message.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AzureKeyCredential,
  ChatCompletionsClient,
  ClientAuthenticationError,
  EmbeddingsClient,
  HttpResponseError,
  ImageEmbeddingsClient,
  ResourceNotFoundError,
  chatOptionWireNames,
  embeddingsOptionWireNames,
  type Model,
} from "../../src/index.js";
import { type RecordedEntry, header, listRecordings, loadRecording } from "../support/recordings.js";
import { startReplay } from "../support/replay.js";
import { transports } from "../support/transports.js";

const streamed = (entry: RecordedEntry): boolean =>
  /event-stream/.test(header(entry.ResponseHeaders, "content-type") ?? "");
const recordings = listRecordings().filter((file) => !loadRecording(file).entries.some(streamed));

/** Typed options from a recorded wire body: known keys by the models' table, the rest as extras. */
function typedOptions(
  body: Record<string, unknown>,
  table: Readonly<Record<string, string>>,
): Record<string, unknown> {
  const byWire = new Map(Object.entries(table).map(([typed, wire]) => [wire, typed]));
  const options: Record<string, unknown> = {};
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (byWire.has(key)) options[byWire.get(key)!] = value;
    else extras[key] = value;
  }
  if (Object.keys(extras).length > 0) options.modelExtras = extras;
  return options;
}

async function call(entry: RecordedEntry, endpoint: string, fetchOptions: object): Promise<Model> {
  const uri = new URL(entry.RequestUri);
  const options = { ...fetchOptions, apiVersion: uri.searchParams.get("api-version") };
  const credential = new AzureKeyCredential("Sanitized");
  const body = entry.RequestBody as Record<string, unknown>;
  // The recorded client sent the old "extra-parameters: allow" by hand; do the same through a raw body.
  const legacy = header(entry.RequestHeaders, "extra-parameters") === "allow";
  const raw = legacy ? { body, headers: { "extra-parameters": "allow" } } : undefined;
  const path = uri.pathname;
  if (path.endsWith("/info")) return new ChatCompletionsClient(endpoint, credential, options).getModelInfo();
  if (path.endsWith("/images/embeddings")) {
    return new ImageEmbeddingsClient(endpoint, credential, options).embed(
      raw ?? (typedOptions(body, embeddingsOptionWireNames) as never),
    );
  }
  if (path.endsWith("/embeddings")) {
    return new EmbeddingsClient(endpoint, credential, options).embed(
      raw ?? (typedOptions(body, embeddingsOptionWireNames) as never),
    );
  }
  return new ChatCompletionsClient(endpoint, credential, options).complete(
    raw ?? (typedOptions(body, chatOptionWireNames) as never),
  );
}

function serviceText(body: unknown): string {
  if (typeof body === "string") return body;
  const record = body as { error?: { message?: string }; message?: string };
  return record.error?.message ?? record.message!;
}

for (const transport of transports) {
  describe(`P1.11 over ${transport.name}`, () => {
    for (const file of recordings) {
      test(`P1 replays ${file}`, async (t) => {
        const replay = await startReplay(t, file);
        for (const entry of replay.recording.entries) {
          if (entry.StatusCode < 300) {
            const result = await call(entry, replay.endpoint, transport.options);
            assert.deepEqual(result.asDict(), entry.ResponseBody, "the model keeps every key");
            continue;
          }
          const error = await call(entry, replay.endpoint, transport.options).then(
            () => assert.fail("expected an error"),
            (e: unknown) => e as HttpResponseError,
          );
          assert.ok(error instanceof HttpResponseError, String(error));
          const expected = { 401: ClientAuthenticationError, 404: ResourceNotFoundError }[
            entry.StatusCode as 401 | 404
          ];
          if (expected) assert.ok(error instanceof expected, `${error.name} for ${entry.StatusCode}`);
          assert.equal(error.statusCode, entry.StatusCode);
          assert.deepEqual(error.body, entry.ResponseBody, "the full body stays on the error");
          assert.ok(
            error.message.startsWith(`${entry.StatusCode} ${serviceText(entry.ResponseBody)}`),
            error.message,
          );
          assert.deepEqual(error.retries, [], "4xx are not retried");
        }
        replay.verify();
      });
    }
  });
}
