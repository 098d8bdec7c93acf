// The tiny test model (S3), written once per option set into .cache/ and reused by every test file
// and benchmark. The same code as `ai-inference tiny-model` (src/server/engine/tiny-model.ts).
import { createHash } from "node:crypto";
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { type TinyModelOptions, writeTinyModel } from "../../src/server/engine/tiny-model.js";

const cacheDir = new URL("../../.cache/tiny-models/", import.meta.url).pathname;

/** The path of the tiny model for `options`, written on first use. */
export async function tinyModelPath(options: TinyModelOptions = {}): Promise<string> {
  const key = createHash("sha256").update(JSON.stringify(options)).digest("hex").slice(0, 16);
  const path = join(cacheDir, `tiny-${key}.gguf`);
  if (
    await stat(path).then(
      () => true,
      () => false,
    )
  )
    return path;
  await mkdir(cacheDir, { recursive: true });
  // Test files run in parallel processes: the writer writes aside, then renames, so no reader sees half a file.
  await writeTinyModel(path, options);
  return path;
}
