// `ai-inference info`: what the endpoint's /info route says about its model (S4.4, P6.1).
import type { CommandSpec } from "../args.js";
import { downloadEnvironment, parseCommandArgs } from "../args.js";
import { type CliIo, EXIT_OK, UsageError } from "../output.js";
import { connectChat, endpointOptions } from "../target.js";

export const infoCommand: CommandSpec = {
  name: "info",
  summary: "Shows the model behind the endpoint: its name, type and provider.",
  usage: "[options]",
  options: {
    json: { type: "boolean", help: "print the whole ModelInfo as JSON" },
    ...endpointOptions,
    help: { type: "boolean", short: "h", help: "show this help" },
  },
  environment: {
    AZURE_AI_CHAT_ENDPOINT: "the service to ask when --endpoint is not given",
    AZURE_AI_CHAT_KEY: "its key",
    ...downloadEnvironment,
  },
  notes: ["Same endpoint rules as `chat`."],
};

export async function runInfo(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(infoCommand, argv);
  if (positionals.length > 0) throw new UsageError(`info takes no arguments, got "${positionals[0]}".`);
  const connection = await connectChat(values, io);
  try {
    const info = await connection.client.getModelInfo();
    io.stdout.write(
      values.json === true
        ? `${JSON.stringify(info, null, 2)}\n`
        : `model_name: ${String(info.modelName)}\nmodel_type: ${String(info.modelType)}\n` +
            `model_provider_name: ${String(info.modelProviderName)}\n`,
    );
    return EXIT_OK;
  } finally {
    await connection.close();
  }
}
