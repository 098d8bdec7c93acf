// What the command line writes: answers on stdout, everything else (errors, progress) on stderr,
// colours only on a terminal and never with NO_COLOR (S4.5).

/** The process's streams and environment, injectable so tests can run the CLI in-process. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** A usage mistake: exit code 2 and the command's usage hint. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface Painter {
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/** Colours for `stream`, or none when it is not a terminal or NO_COLOR is set (https://no-color.org). */
export function painter(stream: { isTTY?: boolean }, env: CliIo["env"]): Painter {
  const enabled =
    stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "") && env.TERM !== "dumb";
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return { red: wrap(31, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** One readable line for an error; the stack only with --verbose. */
export function formatError(error: unknown, verbose: boolean): string {
  if (!(error instanceof Error)) return String(error);
  if (verbose && error.stack) return error.stack;
  return error.message.replace(/\s*\n\s*/g, " ");
}
