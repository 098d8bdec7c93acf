/**
 * The `ai-inference` command line (S4): argv → command → exit code. Errors are one readable line
 * on stderr (the stack with --verbose); exit codes are 0 (ok), 1 (failed), 2 (usage).
 * @module
 */
import { type CommandSpec, helpText } from "./args.js";
import { type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, formatError, painter } from "./output.js";
import { chatCommand, runChat } from "./commands/chat.js";
import { embedCommand, runEmbed } from "./commands/embed.js";
import { infoCommand, runInfo } from "./commands/info.js";
import { runServe, serveCommand } from "./commands/serve.js";
import { runTinyModel, tinyModelCommand } from "./commands/tiny-model.js";
import { SDK_VERSION } from "../internal/version.js";
import type { SignalSource } from "../server/index.js";

interface Command {
  spec: CommandSpec;
  run(argv: string[], io: CliIo, signals: SignalSource): Promise<number>;
}

const commands: readonly Command[] = [
  { spec: chatCommand, run: runChat },
  { spec: serveCommand, run: runServe },
  { spec: infoCommand, run: runInfo },
  { spec: embedCommand, run: runEmbed },
  { spec: tinyModelCommand, run: runTinyModel },
];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.spec.name.length)) + 2;
  return [
    "Usage: ai-inference <command> [options]",
    "",
    "Chat completions from the Azure AI Model Inference API, Azure OpenAI, any OpenAI-compatible server,",
    "or a local llama.cpp model run in-process.",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary.split(/(?<=\.) /)[0]}`),
    "",
    "Options:",
    "  -h, --help     show help (also after a command: ai-inference chat --help)",
    "  -v, --version  print the version",
    "      --verbose  print stack traces with errors",
    "",
  ].join("\n");
}

/** Runs the command line; resolves to the exit code. */
export async function main(
  argv: readonly string[],
  io: CliIo,
  signals: SignalSource = process,
): Promise<number> {
  // Everything after "--" is an argument, never an option: `chat -- -h` asks "-h".
  const end = argv.indexOf("--");
  const options = end === -1 ? argv : argv.slice(0, end);
  const verbose = options.includes("--verbose");
  const args = [...options.filter((arg) => arg !== "--verbose"), ...(end === -1 ? [] : argv.slice(end))];
  const paint = painter(io.stderr, io.env);
  try {
    const [name, ...rest] = args;
    if (name === undefined || name === "--help" || name === "-h" || name === "help") {
      io.stdout.write(overview());
      return name === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (name === "--version" || name === "-v") {
      io.stdout.write(`${SDK_VERSION}\n`);
      return EXIT_OK;
    }
    const command = commands.find((c) => c.spec.name === name);
    if (command === undefined) {
      throw new UsageError(
        `unknown command "${name}". Commands: ${commands.map((c) => c.spec.name).join(", ")}.`,
      );
    }
    const restOptions = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
    if (restOptions.includes("--help") || restOptions.includes("-h")) {
      io.stdout.write(helpText(command.spec));
      return EXIT_OK;
    }
    return await command.run(rest, io, signals);
  } catch (error) {
    const usage = error instanceof UsageError;
    io.stderr.write(`${paint.red("ai-inference: error:")} ${formatError(error, verbose)}\n`);
    return usage ? EXIT_USAGE : EXIT_FAILED;
  }
}
