// Browsers have no file paths: the load helpers take a Uint8Array or a Blob there.
export async function readFileBytes(path: string): Promise<Uint8Array> {
  throw new TypeError(
    `Cannot read the file path "${path}" in this runtime: pass the bytes as a Uint8Array or a Blob instead.`,
  );
}
