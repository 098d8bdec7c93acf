// Node.js, Deno and Bun read file paths; errors (ENOENT...) reach the caller unchanged.
import { readFile } from "node:fs/promises";

export async function readFileBytes(path: string): Promise<Uint8Array> {
  return readFile(path);
}
