// The one error the prompts module throws for a bad template or Prompty file. It keeps where the
// fault is (file, line, key) as fields, so editors and tests need not parse the message.

/** Where a fault sits. Each part is optional: a `fromString` template has no file. */
export interface PromptTemplateErrorLocation {
  /** The absolute path of the file at fault (a `.prompty`, `prompty.json`, a `${file:}` or image file). */
  file?: string;
  /** 1-based line in `file`, or in the template text when there is no file. */
  line?: number;
  /** The front matter key at fault, dotted (`model.parameters.temperature`, `tags[1]`). */
  key?: string;
  cause?: unknown;
}

/**
 * A template or Prompty file that cannot be loaded or rendered: bad YAML, an unknown key, a missing
 * environment variable, a Mustache syntax error, an unreadable image... The message starts with
 * `file:line: key:`, like a compiler's.
 */
export class PromptTemplateError extends Error {
  override name = "PromptTemplateError";
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly key: string | undefined;

  constructor(message: string, location: PromptTemplateErrorLocation = {}) {
    super(
      formatLocation(location) + message,
      location.cause === undefined ? undefined : { cause: location.cause },
    );
    this.file = location.file;
    this.line = location.line;
    this.key = location.key;
  }
}

/** `true` for a {@link PromptTemplateError}, without `instanceof` (which fails across bundle copies). */
export function isPromptTemplateError(value: unknown): value is PromptTemplateError {
  return value instanceof Error && value.name === "PromptTemplateError";
}

function formatLocation({ file, line, key }: PromptTemplateErrorLocation): string {
  let where = file ?? (line === undefined ? "" : "template");
  if (line !== undefined) where += `:${line}`;
  if (key !== undefined) where += (where ? ": " : "") + key;
  return where ? `${where}: ` : "";
}
