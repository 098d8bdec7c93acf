// Reads what the `load` helpers accept. File paths go through a platform leaf module (node:fs on
// Node.js, Deno and Bun; a clear error in browsers) so the model layer stays browser-safe. It is
// imported on first use, so importing the SDK never loads the file system module.

import { bytesToBase64 } from "../internal/base64.js";

/** A file path (Node.js, Deno, Bun), bytes, or a `Blob`. */
export type BinarySource = string | Uint8Array | ArrayBuffer | Blob;

export async function readBinarySource(source: BinarySource, helper: string): Promise<Uint8Array> {
  if (typeof source === "string") {
    if (source === "") throw new TypeError(`${helper}: the file path is empty.`);
    const { readFileBytes } = await import("#platform/read-file");
    return readFileBytes(source);
  }
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Blob !== "undefined" && source instanceof Blob)
    return new Uint8Array(await source.arrayBuffer());
  throw new TypeError(`${helper} takes a file path, a Uint8Array, an ArrayBuffer or a Blob.`);
}

export function requireFormat(format: unknown, helper: string): string {
  if (typeof format !== "string" || format === "") {
    throw new TypeError(`${helper}: the format must be a non-empty string such as "png" or "wav".`);
  }
  return format;
}

/** Reads an image into a `data:image/<format>;base64,...` URL (`format` verbatim). */
export async function readImageDataUrl(
  source: BinarySource,
  format: string,
  helper: string,
): Promise<string> {
  requireFormat(format, helper);
  const bytes = await readBinarySource(source, helper);
  return `data:image/${format};base64,${bytesToBase64(bytes)}`;
}
