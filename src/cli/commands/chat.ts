// `ai-inference chat`: the main job (S4.1). Streams the answer as it arrives; interactive when no
// question is given and stdin is a terminal; reads the question from stdin when it is piped.
import { createInterface } from "node:readline/promises";
import type { ChatCompletions, ChatCompletionsClient, CompleteOptions } from "../../index.js";
import type { CommandSpec, ParsedValues } from "../args.js";
import { numberOption, parseCommandArgs } from "../args.js";
import { type CliIo, EXIT_OK, UsageError, painter } from "../output.js";
import { connectChat, endpointOptions } from "../target.js";

export const chatCommand: CommandSpec = {
  name: "chat",
  summary:
    "Asks a chat model and streams its answer. With no question and a terminal, starts an interactive chat; " +
    "with piped input, reads the question from it.",
  usage: '["question"] [options]',
  options: {
    system: { type: "string", placeholder: "TEXT", help: "a system message" },
    model: {
      type: "string",
      placeholder: "NAME",
      help: "the model to ask for (services with several models)",
    },
    temperature: { type: "string", placeholder: "T", help: "sampling temperature" },
    "max-tokens": { type: "string", placeholder: "N", help: "the longest answer, in tokens" },
    json: { type: "boolean", help: "print the whole ChatCompletions as JSON" },
    "no-stream": { type: "boolean", help: "wait for the whole answer instead of streaming it" },
    ...endpointOptions,
    help: { type: "boolean", short: "h", help: "show this help" },
  },
  notes: [
    "Where requests go: --endpoint, else AZURE_AI_CHAT_ENDPOINT (with AZURE_AI_CHAT_KEY), else a local model run",
    "in-process: --model-file PATH, else a small default model downloaded once into ~/.cache/ai-inference.",
    "",
    "Examples:",
    '  ai-inference chat "What is the capital of France?"',
    '  ai-inference chat --model-file tiny.gguf --max-tokens 20 "Hello"',
    "  echo 'Summarize this' | ai-inference chat --endpoint https://my.models.ai.azure.com --api-key KEY",
  ],
};

type Message = { role: "system" | "user" | "assistant"; content: string };

export async function runChat(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(chatCommand, argv);
  const settings = requestSettings(values);
  let question: string | undefined = positionals.length > 0 ? positionals.join(" ") : undefined;
  const interactive = question === undefined && io.stdin.isTTY === true;
  if (question === undefined && !interactive) {
    question = (await readAll(io.stdin)).trim();
    if (question === "")
      throw new UsageError('chat needs a question: ai-inference chat "question", or pipe it in.');
  }
  const history: Message[] =
    settings.system === undefined ? [] : [{ role: "system", content: settings.system }];
  const connection = await connectChat(values, io);
  try {
    if (!interactive) {
      await answer(connection.client, [...history, { role: "user", content: question! }], settings, io);
      return EXIT_OK;
    }
    await converse(connection.client, history, settings, io);
    return EXIT_OK;
  } finally {
    await connection.close();
  }
}

interface Settings {
  system: string | undefined;
  options: Omit<CompleteOptions, "messages" | "stream">;
  json: boolean;
  stream: boolean;
}

function requestSettings(values: ParsedValues): Settings {
  const temperature = numberOption(values, "temperature");
  const maxTokens = numberOption(values, "max-tokens", { integer: true, min: 1 });
  return {
    system: values.system as string | undefined,
    options: {
      ...(values.model !== undefined ? { model: values.model as string } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(maxTokens !== undefined ? { maxTokens } : {}),
    },
    json: values.json === true,
    stream: values["no-stream"] !== true,
  };
}

/** Sends one request and prints the answer; returns the assistant's text for the conversation. */
async function answer(
  client: ChatCompletionsClient,
  messages: Message[],
  settings: Settings,
  io: CliIo,
  abortSignal?: AbortSignal,
): Promise<string> {
  if (!settings.stream) {
    const completions = await client.complete({ ...settings.options, messages, abortSignal });
    return print(completions, settings, io);
  }
  const stream = await client.complete({ ...settings.options, messages, stream: true, abortSignal });
  if (settings.json) return print(await stream.finalChatCompletions(), settings, io);
  let text = "";
  for await (const piece of stream.textStream()) {
    io.stdout.write(piece);
    text += piece;
  }
  io.stdout.write("\n");
  return text;
}

function print(completions: ChatCompletions, settings: Settings, io: CliIo): string {
  const content = completions.choices?.[0]?.message?.content ?? "";
  io.stdout.write(settings.json ? `${JSON.stringify(completions, null, 2)}\n` : `${content}\n`);
  return content;
}

/** The interactive chat: one turn per line, the whole conversation sent each time. */
async function converse(client: ChatCompletionsClient, history: Message[], settings: Settings, io: CliIo) {
  const paint = painter(io.stdout, io.env);
  const lines = createInterface({ input: io.stdin, output: io.stdout, terminal: true });
  io.stdout.write(paint.dim("Interactive chat: an empty line does nothing, /exit or Ctrl-D ends it.\n"));
  let current: AbortController | undefined;
  // Ctrl-C stops the answer being written; at the prompt, it ends the chat.
  lines.on("SIGINT", () => (current ? current.abort(new Error("stopped")) : lines.close()));
  try {
    for (;;) {
      let line: string;
      try {
        line = (await lines.question(paint.bold("> "))).trim();
      } catch {
        break; // closed (Ctrl-D or Ctrl-C at the prompt)
      }
      if (line === "/exit") break;
      if (line === "") continue;
      history.push({ role: "user", content: line });
      current = new AbortController();
      try {
        history.push({
          role: "assistant",
          content: await answer(client, history, settings, io, current.signal),
        });
      } catch (error) {
        history.pop();
        if (!current.signal.aborted) throw error;
        io.stdout.write(paint.dim("\n(stopped)\n"));
      } finally {
        current = undefined;
      }
    }
  } finally {
    lines.close();
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
