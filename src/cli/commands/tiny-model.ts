// `ai-inference tiny-model PATH`: writes the tiny random-weight test model (S3, S4.4), so anyone can
// run the whole local path offline; its dimensions make larger random models for benchmarks
// (issue 10: the 38.6 M parameter model that makes llama.cpp compute-bound).
import type { CommandSpec } from "../args.js";
import { numberOption, parseCommandArgs } from "../args.js";
import { type CliIo, EXIT_OK, UsageError } from "../output.js";

/** The integer options and the model option each sets. */
const dimensions = {
  embd: ["embd", "the embedding width (default 64)"],
  layers: ["layers", "transformer blocks (default 2)"],
  ff: ["ff", "the feed-forward width (default 128)"],
  heads: ["heads", "attention heads, dividing --embd (default 4)"],
  "kv-heads": ["kvHeads", "key/value heads, dividing --heads (default 2)"],
  ctx: ["ctx", "the training context written to the model (default 2048)"],
} as const;

export const tinyModelCommand: CommandSpec = {
  name: "tiny-model",
  summary:
    "Writes a tiny random-weight llama model (GGUF, about 600 KB). It speaks gibberish, but every step of real " +
    "inference runs: use it to try the CLI and the server offline. Larger dimensions make a compute-bound " +
    "model for benchmarks.",
  usage: "PATH [options]",
  options: {
    seed: { type: "string", placeholder: "N", help: "the weights' random seed (default 1)" },
    ...Object.fromEntries(
      Object.entries(dimensions).map(([flag, [, help]]) => [
        flag,
        { type: "string", placeholder: "N", help },
      ]),
    ),
    "eos-bias": {
      type: "string",
      placeholder: "X",
      help: "logit bias of the end-of-turn tokens (default 0; -1000: replies always run to max_tokens)",
    },
    help: { type: "boolean", short: "h", help: "show this help" },
  },
  environment: { NO_COLOR: "no colours, even on a terminal" },
  notes: [
    "Examples:",
    '  ai-inference tiny-model tiny.gguf && ai-inference chat --model-file tiny.gguf "Hello"',
    "  ai-inference tiny-model 38m.gguf --embd 768 --layers 6 --ff 2048 --heads 12 --kv-heads 4 --eos-bias=-1000",
    "                                     # 38.6 M parameters, 154 MB: the throughput benchmark's model",
  ],
};

export async function runTinyModel(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(tinyModelCommand, argv);
  if (positionals.length !== 1) throw new UsageError("tiny-model takes exactly one PATH to write.");
  const options: Record<string, number | undefined> = {
    seed: numberOption(values, "seed", { integer: true, min: 0 }),
    eosBias: numberOption(values, "eos-bias"),
  };
  for (const [flag, [option]] of Object.entries(dimensions)) {
    options[option] = numberOption(values, flag, { integer: true, min: 1 });
  }
  const { writeTinyModel } = await import("../../server/engine/tiny-model.js");
  let info;
  try {
    info = await writeTinyModel(positionals[0], options);
  } catch (error) {
    // The model's own shape checks (heads dividing embd...) are usage errors in flag words.
    if (error instanceof RangeError) throw new UsageError(flagWords(error.message));
    throw error;
  }
  const size =
    info.size < 10 * 1024 * 1024
      ? `${Math.round(info.size / 1024)} KB`
      : `${Math.round(info.size / 1024 / 1024)} MB`;
  const params = info.params < 1e6 ? `${info.params}` : `${(info.params / 1e6).toFixed(1)} M`;
  io.stdout.write(`Wrote the tiny model to ${positionals[0]} (${size}, ${params} parameters).\n`);
  return EXIT_OK;
}

/** "embd must be divisible by heads." → "--embd must be divisible by --heads." */
function flagWords(message: string): string {
  return message.replace(/\b(embd|layers|ff|heads|kvHeads|ctx)\b/g, (name) =>
    name === "kvHeads" ? "--kv-heads" : `--${name}`,
  );
}
