// Reading a body as text without ever holding more than a limit of it (issue 9, "memory is
// bounded"): both transports use it for bodies whose length is not declared, or is declared larger
// than the caller takes.

/** The text of the chunks `next` gives, up to `maxBytes` bytes (see TransportResponse.readText). */
export async function readLimitedText(
  next: () => Promise<IteratorResult<Uint8Array>>,
  maxBytes: number,
): Promise<{ readonly text: string; readonly complete: boolean }> {
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    const step = await next();
    if (step.done === true) break;
    const chunk = step.value;
    const room = maxBytes - bytes;
    if (chunk.byteLength > room) {
      // Without a final decode() a character cut at the limit is left out, never garbled.
      if (room > 0) parts.push(decoder.decode(chunk.subarray(0, room), { stream: true }));
      return { text: parts.join(""), complete: false };
    }
    bytes += chunk.byteLength;
    parts.push(decoder.decode(chunk, { stream: true }));
  }
  parts.push(decoder.decode());
  return { text: parts.join(""), complete: true };
}

/** The declared length of a body (`content-length`), or `undefined` when absent or malformed. */
export function declaredLength(header: string | null): number | undefined {
  if (header === null || !/^\s*\d+\s*$/.test(header)) return undefined;
  return Number(header);
}
