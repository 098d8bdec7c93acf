// `ai-inference tiny-model PATH`: writes the tiny random-weight test model (S3, S4.4), so anyone can
// run the whole local path offline.
import type { CommandSpec } from "../args.js";
import { numberOption, parseCommandArgs } from "../args.js";
import { type CliIo, EXIT_OK, UsageError } from "../output.js";

export const tinyModelCommand: CommandSpec = {
  name: "tiny-model",
  summary:
    "Writes a tiny random-weight llama model (GGUF, about 600 KB). It speaks gibberish, but every step of real " +
    "inference runs: use it to try the CLI and the server offline.",
  usage: "PATH [options]",
  options: {
    seed: { type: "string", placeholder: "N", help: "the weights' random seed (default 1)" },
    help: { type: "boolean", short: "h", help: "show this help" },
  },
  environment: { NO_COLOR: "no colours, even on a terminal" },
  notes: [
    "Example:",
    '  ai-inference tiny-model tiny.gguf && ai-inference chat --model-file tiny.gguf "Hello"',
  ],
};

export async function runTinyModel(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(tinyModelCommand, argv);
  if (positionals.length !== 1) throw new UsageError("tiny-model takes exactly one PATH to write.");
  const seed = numberOption(values, "seed", { integer: true, min: 0 });
  const { writeTinyModel } = await import("../../server/engine/tiny-model.js");
  const info = await writeTinyModel(positionals[0], seed === undefined ? {} : { seed });
  io.stdout.write(`Wrote the tiny model to ${positionals[0]} (${Math.round(info.size / 1024)} KB).\n`);
  return EXIT_OK;
}
