// `ai-inference embed "text"...`: embeddings of each text, one JSON array per line (S4.4).
import type { CommandSpec } from "../args.js";
import { downloadEnvironment, numberOption, parseCommandArgs } from "../args.js";
import { type CliIo, EXIT_OK, UsageError } from "../output.js";
import { connectEmbeddings, endpointOptions } from "../target.js";

export const embedCommand: CommandSpec = {
  name: "embed",
  summary: "Prints the embedding of each text, one JSON array of numbers per line, in input order.",
  usage: '"text"... [options]',
  options: {
    dimensions: { type: "string", placeholder: "N", help: "ask for embeddings of N dimensions" },
    json: { type: "boolean", help: "print the whole EmbeddingsResult as JSON" },
    ...endpointOptions,
    help: { type: "boolean", short: "h", help: "show this help" },
  },
  environment: {
    AZURE_AI_EMBEDDINGS_ENDPOINT: "the service to call when --endpoint is not given",
    AZURE_AI_EMBEDDINGS_KEY: "its key",
    ...downloadEnvironment,
  },
  notes: [
    "Where requests go: --endpoint, else AZURE_AI_EMBEDDINGS_ENDPOINT (with AZURE_AI_EMBEDDINGS_KEY), else a local model.",
  ],
};

export async function runEmbed(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(embedCommand, argv);
  if (positionals.length === 0)
    throw new UsageError('embed needs at least one text: ai-inference embed "text".');
  const dimensions = numberOption(values, "dimensions", { integer: true, min: 1 });
  const connection = await connectEmbeddings(values, io);
  try {
    const result = await connection.client.embed({
      input: positionals,
      ...(dimensions ? { dimensions } : {}),
    });
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const byIndex = [...result.data].sort((a, b) => a.index - b.index);
      for (const item of byIndex) io.stdout.write(`${JSON.stringify(item.embedding)}\n`);
    }
    return EXIT_OK;
  } finally {
    await connection.close();
  }
}
