// Loads the project's recordings (test/fixtures/recordings) by name, and turns a recorded
// text/event-stream body back into the exact bytes the service sent.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const recordingsDir = fileURLToPath(new URL("../fixtures/recordings/", import.meta.url));

export interface RecordedEntry {
  RequestUri: string;
  RequestMethod: string;
  RequestHeaders: Record<string, string>;
  RequestBody: unknown;
  StatusCode: number;
  ResponseHeaders: Record<string, string>;
  ResponseBody: unknown;
}

export interface Recording {
  Entries: RecordedEntry[];
}

/** A recording by its path under test/fixtures/recordings (or any unique ending of it). */
export function loadRecording(name: string): Recording {
  const matches = allRecordingPaths().filter((path) => path === name || path.endsWith(name));
  if (matches.length !== 1) throw new Error(`${matches.length} recordings match "${name}".`);
  return JSON.parse(readFileSync(join(recordingsDir, matches[0]), "utf8")) as Recording;
}

/** One recorded server-sent event stream. */
export interface SseCapture {
  /** `<recording path>#<entry index>`. */
  readonly name: string;
  /** The raw event texts, as recorded (each with its `data: ` prefix and blank line). */
  readonly events: readonly string[];
  /** The bytes of the body: the events concatenated, UTF-8 encoded. */
  readonly bytes: Uint8Array;
  readonly headers: Record<string, string>;
  readonly status: number;
}

/** Every text/event-stream response in the recordings, in a stable order. */
export function sseCaptures(): SseCapture[] {
  const captures: SseCapture[] = [];
  for (const path of allRecordingPaths()) {
    const recording = JSON.parse(readFileSync(join(recordingsDir, path), "utf8")) as Recording;
    recording.Entries.forEach((entry, i) => {
      const contentType = Object.entries(entry.ResponseHeaders).find(
        ([key]) => key.toLowerCase() === "content-type",
      )?.[1];
      if (!contentType?.startsWith("text/event-stream") || !Array.isArray(entry.ResponseBody)) return;
      const events = entry.ResponseBody as string[];
      captures.push({
        name: `${path}#${i}`,
        events,
        bytes: new TextEncoder().encode(events.join("")),
        headers: entry.ResponseHeaders,
        status: entry.StatusCode,
      });
    });
  }
  return captures;
}

/** The JSON chunks a capture holds, parsed, in order (the `[DONE]` marker left out). */
export function captureChunks(capture: SseCapture): Record<string, unknown>[] {
  return capture.events
    .map((event) => event.replace(/^data: ?/, "").trim())
    .filter((data) => data !== "[DONE]")
    .map((data) => JSON.parse(data) as Record<string, unknown>);
}

function allRecordingPaths(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".json")) found.push(relative(recordingsDir, path));
    }
  };
  walk(recordingsDir);
  return found.sort();
}
