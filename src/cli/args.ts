// Argument parsing on node:util's parseArgs: each command declares its options once, and the
// same table drives parsing and its --help text.
import { parseArgs } from "node:util";
import { UsageError } from "./output.js";

export interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly multiple?: boolean;
  /** Shown in --help; the value's placeholder follows the flag, e.g. `--port PORT`. */
  readonly help: string;
  readonly placeholder?: string;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** The synopsis after the command name, e.g. `[question]`. */
  readonly usage: string;
  readonly options: OptionTable;
  /** The environment variables the command reads, by name, for --help. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Extra lines at the end of --help (examples). */
  readonly notes?: readonly string[];
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/** Parses `argv` strictly: an unknown option or a missing value is a `UsageError` naming it. */
export function parseCommandArgs(
  spec: CommandSpec,
  argv: string[],
): { values: ParsedValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: spec.options as never,
      allowPositionals: true,
      strict: true,
    });
    return { values: { ...(values as ParsedValues) }, positionals };
  } catch (error) {
    const message = (error as Error).message.replace(/^Unknown option/, "unknown option").replace(/\.$/, "");
    throw new UsageError(`${spec.name}: ${message}. See \`ai-inference ${spec.name} --help\`.`);
  }
}

/** The --help text of a command, from its option table. */
export function helpText(spec: CommandSpec): string {
  const flags = Object.entries(spec.options).map(([name, option]) => {
    const short = option.short ? `-${option.short}, ` : "    ";
    const value = option.type === "string" ? ` ${option.placeholder ?? "VALUE"}` : "";
    return [`  ${short}--${name}${value}`, option.help] as const;
  });
  // Read by main for every command, so not in the commands' tables.
  flags.push(["      --verbose", "print stack traces with errors"]);
  const variables = Object.entries(spec.environment ?? {}).map(
    ([name, help]) => [`  ${name}`, help] as const,
  );
  const width = Math.max(...[...flags, ...variables].map(([flag]) => flag.length)) + 2;
  const table = (rows: readonly (readonly [string, string])[]) =>
    rows.map(([flag, help]) => flag.padEnd(width) + help);
  return [
    `Usage: ai-inference ${spec.name} ${spec.usage}`.trimEnd(),
    "",
    spec.summary,
    "",
    "Options:",
    ...table(flags),
    ...(variables.length > 0 ? ["", "Environment:", ...table(variables)] : []),
    ...(spec.notes && spec.notes.length > 0 ? ["", ...spec.notes] : []),
    "",
  ].join("\n");
}

/** A number option within `[min, max]`, or a `UsageError` naming it. */
export function numberOption(
  values: ParsedValues,
  name: string,
  { integer = false, min = -Infinity, max = Infinity } = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (
    typeof raw !== "string" ||
    raw.trim() === "" ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  ) {
    const range = max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` of at least ${min}` : "";
    throw new UsageError(
      `--${name} must be ${integer ? "an integer" : "a number"}${range}, got "${String(raw)}".`,
    );
  }
  return value;
}

/** A string option that may not be empty (`--api-key ""` is a mistake, not "no key"). */
export function nonEmptyOption(values: ParsedValues, name: string): string | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || raw.trim() === "") throw new UsageError(`--${name} must not be empty.`);
  return raw;
}

/** The environment variables every command that may download the default model reads. */
export const downloadEnvironment: Readonly<Record<string, string>> = {
  XDG_CACHE_HOME: "where the default model is cached (else ~/.cache), under ai-inference/",
  AI_INFERENCE_MODEL_URL: "download the default model from this mirror",
  AI_INFERENCE_MODEL_SHA256: "the SHA-256 the mirror's file must have (default: the default model's)",
  "HTTPS_PROXY, HTTP_PROXY, NO_PROXY": "the proxy for downloads and endpoints",
  NO_COLOR: "no colours, even on a terminal",
};
