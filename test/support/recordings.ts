// Loads the project's copies of real recorded traffic (test/fixtures/recordings) and the REST
// specification's examples (test/fixtures/spec-examples). See test/fixtures/README.md.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const fixturesDir = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** One HTTP exchange of a recording, as the recorder stored it. */
export interface RecordedEntry {
  RequestUri: string;
  RequestMethod: string;
  RequestHeaders: Record<string, string>;
  RequestBody: unknown;
  StatusCode: number;
  ResponseHeaders: Record<string, string>;
  /** Parsed JSON, a text body as a string, or an SSE body as an array of event strings. */
  ResponseBody: unknown;
}

export interface Recording {
  /** Path under test/fixtures/recordings, e.g. `js/node/chat_test_suite/recording_simple_chat_test.json`. */
  name: string;
  entries: RecordedEntry[];
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listJson(join(dir, e.name)) : e.name.endsWith(".json") ? [join(dir, e.name)] : [],
    )
    .sort();
}

/** Loads one recording by its path under test/fixtures/recordings (or a unique suffix of it). */
export function loadRecording(name: string): Recording {
  const matches = allRecordings().filter((r) => r.name === name || r.name.endsWith(name));
  if (matches.length !== 1) throw new Error(`${matches.length} recordings match "${name}".`);
  return matches[0];
}

let cache: Recording[] | undefined;

export function allRecordings(): Recording[] {
  const dir = join(fixturesDir, "recordings");
  cache ??= listJson(dir).map((path) => ({
    name: relative(dir, path),
    entries: JSON.parse(readFileSync(path, "utf8")).Entries as RecordedEntry[],
  }));
  return cache;
}

export const isEventStream = (entry: RecordedEntry): boolean =>
  /text\/event-stream/i.test(
    entry.ResponseHeaders["Content-Type"] ?? entry.ResponseHeaders["content-type"] ?? "",
  );

/** An example of the REST specification: its parameters and its responses by status. */
export interface SpecExample {
  name: string;
  operationId: string;
  parameters: Record<string, unknown>;
  responses: Record<string, { body?: unknown; headers?: Record<string, string> }>;
}

export function allSpecExamples(): SpecExample[] {
  const dir = join(fixturesDir, "spec-examples");
  return listJson(dir).map((path) => {
    const json = JSON.parse(readFileSync(path, "utf8"));
    return { name: relative(dir, path), ...json } as SpecExample;
  });
}
