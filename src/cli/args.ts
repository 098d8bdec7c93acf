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
  /** Extra lines at the end of --help (examples, environment variables). */
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
  const width = Math.max(...flags.map(([flag]) => flag.length)) + 2;
  return [
    `Usage: ai-inference ${spec.name} ${spec.usage}`.trimEnd(),
    "",
    spec.summary,
    "",
    "Options:",
    ...flags.map(([flag, help]) => flag.padEnd(width) + help),
    ...(spec.notes && spec.notes.length > 0 ? ["", ...spec.notes] : []),
    "",
  ].join("\n");
}

/** A number option, or a `UsageError` naming it. */
export function numberOption(
  values: ParsedValues,
  name: string,
  { integer = false, min = -Infinity } = {},
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (
    typeof raw !== "string" ||
    raw.trim() === "" ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min
  ) {
    throw new UsageError(
      `--${name} must be ${integer ? "an integer" : "a number"}${min > -Infinity ? ` of at least ${min}` : ""}, got "${String(raw)}".`,
    );
  }
  return value;
}
