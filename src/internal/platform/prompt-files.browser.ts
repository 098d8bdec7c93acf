// Browsers have no file paths: PromptTemplate.fromPrompty cannot work there, fromString does.
function noFiles(): never {
  throw new TypeError(
    "PromptTemplate.fromPrompty reads files, which this runtime cannot do: use PromptTemplate.fromString instead.",
  );
}

export function toAbsolutePath(_pathOrUrl: string | URL): string {
  return noFiles();
}

export function resolveFrom(_dir: string, _relative: string): string {
  return noFiles();
}

export function parentDirectory(_path: string): string {
  return noFiles();
}

export async function readTextFile(_path: string): Promise<string> {
  return noFiles();
}

export async function readTextFileIfExists(_path: string): Promise<string | undefined> {
  return noFiles();
}

export async function readFileBytes(_path: string): Promise<Uint8Array> {
  return noFiles();
}

export function readFileBytesSync(_path: string): Uint8Array {
  return noFiles();
}
