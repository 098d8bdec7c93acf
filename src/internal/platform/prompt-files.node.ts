// File access for PromptTemplate.fromPrompty on Node.js, Deno and Bun. Errors (ENOENT...) reach the
// caller unchanged: the prompts module wraps them with the file and key at fault.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** An absolute path from a path (relative ones against the working directory) or a `file:` URL. */
export function toAbsolutePath(pathOrUrl: string | URL): string {
  return typeof pathOrUrl === "string" ? resolve(pathOrUrl) : fileURLToPath(pathOrUrl);
}

/** `relative` resolved against the folder `dir` (an absolute `relative` stays as it is). */
export function resolveFrom(dir: string, relative: string): string {
  return resolve(dir, relative);
}

export function parentDirectory(path: string): string {
  return dirname(path);
}

export async function readTextFile(path: string): Promise<string> {
  return readFile(path, "utf8");
}

/** The file's text, or `undefined` when there is no such file. */
export async function readTextFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: unknown }).code === "ENOENT") return undefined;
    throw error;
  }
}

export async function readFileBytes(path: string): Promise<Uint8Array> {
  return readFile(path);
}

// Synchronous on purpose: createMessages() is synchronous (its result goes straight into
// complete({ messages })), and an image it inlines may be named by the data it is given. Images the
// template names are read at load (readFileBytes), and createMessagesAsync() never reads this way.
export function readFileBytesSync(path: string): Uint8Array {
  return readFileSync(path);
}
