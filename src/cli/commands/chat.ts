// `ai-inference chat`: one question, streamed (S4.1), or an interactive chat on a terminal; the
// question from stdin when it is piped.
import { createInterface } from "node:readline/promises";
import {
  type ChatCompletions,
  type ChatCompletionsClient,
  type CompleteOptions,
  HttpResponseError,
} from "../../index.js";
import type { CommandSpec, ParsedValues } from "../args.js";
import { downloadEnvironment, numberOption, parseCommandArgs } from "../args.js";
import { type CliIo, EXIT_OK, UsageError, formatError, painter } from "../output.js";
import { type Connection, connectChat, endpointOptions } from "../target.js";

/** The answer's length when none is asked for and the model is the local one (a remote one may refuse it). */
const defaultLocalMaxTokens = 1024;

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
    "max-tokens": {
      type: "string",
      placeholder: "N",
      help: `the longest answer, in tokens (default for a local model: ${defaultLocalMaxTokens})`,
    },
    json: { type: "boolean", help: "print the whole ChatCompletions as JSON" },
    "no-stream": { type: "boolean", help: "wait for the whole answer instead of streaming it" },
    ...endpointOptions,
    help: { type: "boolean", short: "h", help: "show this help" },
  },
  environment: {
    AZURE_AI_CHAT_ENDPOINT: "the service to call when --endpoint is not given",
    AZURE_AI_CHAT_KEY: "its key",
    ...downloadEnvironment,
  },
  notes: [
    "Where requests go: --endpoint, else AZURE_AI_CHAT_ENDPOINT (with AZURE_AI_CHAT_KEY), else a local model run",
    "in-process: --model-file PATH, else a small default model downloaded once into ~/.cache/ai-inference.",
    "",
    "Interactive chat (no question, a terminal): Ctrl-C stops an answer; Ctrl-C at the prompt, Ctrl-D or /exit",
    "ends. With a local model the oldest turns are left out when the conversation outgrows its context.",
    "Arguments after -- are the question even when they look like options: ai-inference chat -- -h",
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
    // The local model's context is known; without a limit its answer could fill all of it.
    if (connection.localContextSize !== undefined && settings.options.maxTokens === undefined) {
      settings.options.maxTokens = Math.min(
        defaultLocalMaxTokens,
        Math.floor(connection.localContextSize / 2),
      );
    }
    if (!interactive) {
      await answer(connection.client, [...history, { role: "user", content: question! }], settings, io);
      return EXIT_OK;
    }
    await converse(connection, history, settings, io);
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

/**
 * Sends one request and prints the answer; returns the assistant's text for the conversation.
 * `shown.text` holds what was printed so far, for an answer stopped half way.
 */
async function answer(
  client: ChatCompletionsClient,
  messages: Message[],
  settings: Settings,
  io: CliIo,
  abortSignal?: AbortSignal,
  shown: { text: string } = { text: "" },
): Promise<string> {
  if (!settings.stream) {
    const completions = await client.complete({ ...settings.options, messages, abortSignal });
    return print(completions, settings, io);
  }
  const stream = await client.complete({ ...settings.options, messages, stream: true, abortSignal });
  if (settings.json) return print(await stream.finalChatCompletions(), settings, io);
  for await (const piece of stream.textStream()) {
    io.stdout.write(piece);
    shown.text += piece;
  }
  io.stdout.write("\n");
  return shown.text;
}

function print(completions: ChatCompletions, settings: Settings, io: CliIo): string {
  const content = completions.choices?.[0]?.message?.content ?? "";
  io.stdout.write(settings.json ? `${JSON.stringify(completions, null, 2)}\n` : `${content}\n`);
  return content;
}

/**
 * The interactive chat: one turn per line, the whole conversation sent each time. A failed turn is
 * reported and the chat goes on; with the local model, turns that no longer fit its context are
 * left out, oldest first, and the user is told.
 */
async function converse(
  connection: Connection<ChatCompletionsClient>,
  history: Message[],
  settings: Settings,
  io: CliIo,
) {
  const paint = painter(io.stdout, io.env);
  const errorPaint = painter(io.stderr, io.env);
  const lines = createInterface({ input: io.stdin, output: io.stdout, terminal: true });
  io.stdout.write(
    paint.dim("Interactive chat: Ctrl-C stops an answer; Ctrl-C at the prompt, Ctrl-D or /exit ends.\n"),
  );
  let current: AbortController | undefined;
  lines.on("SIGINT", () => (current ? current.abort(new Error("stopped")) : lines.close()));
  const firstTurn = history.length; // after the system message, if any
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
      const turn: Message = { role: "user", content: line };
      for (;;) {
        current = new AbortController();
        const shown = { text: "" };
        try {
          const text = await answer(
            connection.client,
            [...history, turn],
            settings,
            io,
            current.signal,
            shown,
          );
          history.push(turn, { role: "assistant", content: text });
          break;
        } catch (error) {
          if (current.signal.aborted) {
            io.stdout.write(paint.dim("\n(stopped)\n"));
            // What was shown stays in the conversation, so "go on" can continue it.
            if (shown.text !== "") history.push(turn, { role: "assistant", content: shown.text });
            break;
          }
          if (
            connection.localContextSize !== undefined &&
            outgrewContext(error) &&
            history.length > firstTurn
          ) {
            history.splice(firstTurn, 2);
            io.stdout.write(
              paint.dim("(the oldest turn was left out: the conversation outgrew the model's context)\n"),
            );
            continue;
          }
          io.stderr.write(`${errorPaint.red("error:")} ${formatError(error, false)}\n`);
          break;
        } finally {
          current = undefined;
        }
      }
    }
  } finally {
    lines.close();
  }
}

/** The server's answer to a prompt (with the room its answer needs) that its context can't hold. */
function outgrewContext(error: unknown): boolean {
  return (
    error instanceof HttpResponseError && error.statusCode === 400 && error.code === "context_length_exceeded"
  );
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
