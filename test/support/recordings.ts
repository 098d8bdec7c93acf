// The project's copies of real recorded traffic (test/fixtures/recordings) and of the REST
// specification's examples (test/fixtures/spec-examples), loaded by name. See test/fixtures/README.md.
// Replaying them on a loopback server lives in replay.ts.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));
const recordingsDir = join(fixturesDir, "recordings");

/** One recorded HTTP exchange (the Azure SDK test proxy's format). */
export interface RecordedEntry {
  readonly RequestUri: string;
  readonly RequestMethod: string;
  readonly RequestHeaders: Readonly<Record<string, string>>;
  readonly RequestBody: unknown;
  readonly StatusCode: number;
  readonly ResponseHeaders: Readonly<Record<string, string>>;
  /** Parsed JSON, a text body as a string, or an SSE body as an array of event strings. */
  readonly ResponseBody: unknown;
}

export interface Recording {
  /** The file, relative to test/fixtures/recordings. */
  readonly file: string;
  readonly entries: readonly RecordedEntry[];
}

function listJson(dir: string, prefix = ""): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const path = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
      if (entry.isDirectory()) return listJson(dir, path);
      return entry.name.endsWith(".json") ? [path] : [];
    })
    .sort();
}

/** Every recording file, relative to test/fixtures/recordings. */
export function listRecordings(): string[] {
  return listJson(recordingsDir);
}

const loaded = new Map<string, Recording>();

/**
 * Loads a recording by name: its path under test/fixtures/recordings, or any unique ending of it
 * (`chat_test_suite/recording_simple_chat_test`, `test_get_model_info_on_chat_client.json`).
 */
export function loadRecording(name: string): Recording {
  const wanted = name.endsWith(".json") ? name : `${name}.json`;
  const matches = listRecordings().filter((file) => file === wanted || file.endsWith(wanted));
  if (matches.length !== 1) {
    throw new Error(
      `${matches.length === 0 ? "No" : "More than one"} recording matches "${name}": ${matches.join(", ")}`,
    );
  }
  const file = matches[0];
  let recording = loaded.get(file);
  if (recording === undefined) {
    const data = JSON.parse(readFileSync(join(recordingsDir, file), "utf8")) as { Entries: RecordedEntry[] };
    recording = { file, entries: data.Entries };
    loaded.set(file, recording);
  }
  return recording;
}

export function allRecordings(): Recording[] {
  return listRecordings().map(loadRecording);
}

/** A header of a recorded set, whatever its casing. */
export function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

export function isEventStream(entry: RecordedEntry): boolean {
  return /text\/event-stream/i.test(header(entry.ResponseHeaders, "content-type") ?? "");
}

/** One recorded server-sent event stream. */
export interface SseCapture {
  /** `<recording path>#<entry index>`. */
  readonly name: string;
  /** The raw event texts, as recorded (each with its `data: ` prefix and blank line). */
  readonly events: readonly string[];
  /** The bytes of the body: the events concatenated, UTF-8 encoded. */
  readonly bytes: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
  readonly status: number;
}

/** Every text/event-stream response in the recordings, in a stable order. */
export function sseCaptures(): SseCapture[] {
  return allRecordings().flatMap((recording) =>
    recording.entries.flatMap((entry, i) => {
      if (!isEventStream(entry) || !Array.isArray(entry.ResponseBody)) return [];
      const events = entry.ResponseBody as string[];
      return [
        {
          name: `${recording.file}#${i}`,
          events,
          bytes: new TextEncoder().encode(events.join("")),
          headers: entry.ResponseHeaders,
          status: entry.StatusCode,
        },
      ];
    }),
  );
}

/** The JSON chunks a capture holds, parsed, in order (the `[DONE]` marker left out). */
export function captureChunks(capture: { events: readonly string[] }): Record<string, unknown>[] {
  return capture.events
    .map((event) => event.replace(/^data: ?/, "").trim())
    .filter((data) => data !== "[DONE]")
    .map((data) => JSON.parse(data) as Record<string, unknown>);
}

/** An example of the REST specification: its parameters and its responses by status. */
export interface SpecExample {
  name: string;
  operationId: string;
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}

export function allSpecExamples(): SpecExample[] {
  const dir = join(fixturesDir, "spec-examples");
  return listJson(dir).map((name) => {
    const json = JSON.parse(readFileSync(join(dir, name), "utf8"));
    return { name, ...json } as SpecExample;
  });
}
