// `ai-inference serve`: the local server over HTTP (S1, S4.3), until SIGINT or SIGTERM.
import type { CommandSpec } from "../args.js";
import { downloadEnvironment, nonEmptyOption, numberOption, parseCommandArgs } from "../args.js";
import { ensureDefaultModel } from "../model-cache.js";
import { type CliIo, EXIT_OK, UsageError } from "../output.js";
import { requireNodeLlamaCpp } from "../target.js";
import { readFile } from "node:fs/promises";
import type { ScriptedReply, ServerOptions, SignalSource } from "../../server/index.js";

export const serveCommand: CommandSpec = {
  name: "serve",
  summary:
    "Serves the Model Inference API (and its OpenAI-style /v1 twins) over a local llama.cpp model, a script of " +
    "replies (--replies) or upstream deployments (--upstreams, a gateway). Listens on 127.0.0.1 unless told " +
    "otherwise; off loopback an API key is required.",
  usage: "[options]",
  options: {
    host: { type: "string", placeholder: "HOST", help: "the address to listen on (default 127.0.0.1)" },
    port: { type: "string", placeholder: "PORT", help: "the port (default 8080; 0 picks a free one)" },
    "api-key": {
      type: "string",
      placeholder: "KEY",
      help: "require this key (api-key or Authorization: Bearer)",
    },
    "insecure-no-auth": { type: "boolean", help: "allow listening off loopback without a key" },
    "model-file": {
      type: "string",
      placeholder: "PATH",
      help: "the GGUF model (default: the cached default model)",
    },
    upstreams: {
      type: "string",
      placeholder: "FILE",
      help: "be a gateway: route to the deployments of FILE (JSON or YAML) instead of a local model",
    },
    replies: {
      type: "string",
      placeholder: "FILE",
      help: "answer from this script (JSON lines) instead of a model: for testing apps offline",
    },
    "max-concurrent": { type: "string", placeholder: "N", help: "generations at once (default 1)" },
    "max-queue": {
      type: "string",
      placeholder: "N",
      help: "requests waiting beyond those (default 16); more get 429",
    },
    threads: { type: "string", placeholder: "N", help: "llama.cpp threads (default: 1 on two cores)" },
    "cors-origin": {
      type: "string",
      multiple: true,
      placeholder: "ORIGIN",
      help: 'allow browser calls from ORIGIN ("*": any origin, without credentials)',
    },
    "shutdown-deadline": {
      type: "string",
      placeholder: "SECONDS",
      help: "on SIGINT/SIGTERM, how long requests may finish (default 10); a second signal stops at once",
    },
    help: { type: "boolean", short: "h", help: "show this help" },
  },
  environment: downloadEnvironment,
  notes: [
    "Examples:",
    "  ai-inference serve --model-file tiny.gguf --port 8080",
    "  ai-inference serve --replies replies.jsonl   # docs/server.md, testing an app offline",
    "  ai-inference serve --upstreams upstreams.yaml --api-key $GATEWAY_KEY   # docs/server.md, gateway",
  ],
};

/** How `serve` ends the process on a second signal (injectable for tests). */
export type Exit = (code: number) => never;

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15 };

export async function runServe(
  argv: string[],
  io: CliIo,
  signals: SignalSource,
  exit: Exit = (code) => process.exit(code),
): Promise<number> {
  // Every flag is checked before the model loads or downloads: a mistake is a usage error (exit 2).
  const { values, positionals } = parseCommandArgs(serveCommand, argv);
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments, got "${positionals[0]}".`);
  const port = numberOption(values, "port", { integer: true, min: 0, max: 65535 }) ?? 8080;
  const maxConcurrent = numberOption(values, "max-concurrent", { integer: true, min: 1 });
  const maxQueue = numberOption(values, "max-queue", { integer: true, min: 0 });
  const threads = numberOption(values, "threads", { integer: true, min: 1 });
  const deadlineSeconds = numberOption(values, "shutdown-deadline", { min: 0, max: 86_400 });
  const apiKey = nonEmptyOption(values, "api-key");
  const host = nonEmptyOption(values, "host") ?? "127.0.0.1";
  for (const name of ["model-file", "replies", "upstreams"]) nonEmptyOption(values, name);
  const corsOrigins = values["cors-origin"] as string[] | undefined;
  if (corsOrigins?.some((origin) => origin.trim() === ""))
    throw new UsageError("--cors-origin must not be empty.");
  const { createServer, closeOnSignals, parseScriptedReplies } = await import("../../server/index.js");
  const source = await chooseSource(values, io, io.env, parseScriptedReplies);
  const server = await createServer({
    ...source.options,
    maxConcurrent,
    maxQueue,
    threads,
    apiKey,
    insecureNoAuth: values["insecure-no-auth"] === true,
    corsOrigins,
    ...(deadlineSeconds === undefined ? {} : { shutdownDeadlineMs: Math.round(deadlineSeconds * 1000) }),
    log: (line) => io.stderr.write(`${line}\n`),
  });
  let url: string;
  try {
    url = await server.listen({ host, port });
  } catch (error) {
    await server.close();
    throw error;
  }
  io.stdout.write(
    `Serving ${source.what} at ${url}\n` +
      `Try: ai-inference chat --endpoint ${url} --api-version none${values["api-key"] ? " --api-key KEY" : ""} "Hello"\n`,
  );
  let received = 0;
  const closed = new Promise<number>((resolve) => {
    closeOnSignals(server, {
      process: signals,
      onSignal: (signal) => {
        if (++received === 1) {
          io.stderr.write(`${signal}: shutting down (again to stop at once)\n`);
          return;
        }
        // The second signal means now: whatever the close still waits for, the process ends.
        io.stderr.write(`${signal}: stopping at once\n`);
        exit(128 + (signalNumbers[signal] ?? 1));
      },
      onClosed: (error) => resolve(error === undefined ? EXIT_OK : 1),
    });
  });
  return closed;
}

/** Where the answers come from: a script, or a model file (the cached default one when none is given). */
async function chooseSource(
  values: Record<string, unknown>,
  io: CliIo,
  env: Readonly<Record<string, string | undefined>>,
  parseReplies: (text: string, name: string) => readonly ScriptedReply[],
): Promise<{ options: ServerOptions; what: string }> {
  const given = ["model-file", "replies", "upstreams"].filter((name) => values[name] !== undefined);
  if (given.length > 1) throw new UsageError(`serve: give one of --${given.join(", --")}, not several.`);
  const upstreams = values.upstreams as string | undefined;
  if (upstreams !== undefined) {
    const { readUpstreams } = await import("../gateway/upstreams-file.js");
    const { createGatewayEngine } = await import("../gateway/gateway-engine.js");
    const { AzureKeyCredential } = await import("../../client/credentials.js");
    const config = readUpstreams(
      await readFile(upstreams, "utf8"),
      upstreams,
      env,
      (key) => new AzureKeyCredential(key),
    );
    let engine;
    try {
      engine = createGatewayEngine(config);
    } catch (error) {
      if (error instanceof TypeError) throw new UsageError(`${upstreams}: ${error.message}`);
      throw error;
    }
    const names = config.deployments.map((d) => d.name).join(", ");
    return { options: { engine }, what: `a gateway to ${names} (${config.strategy})` };
  }
  const replies = values.replies as string | undefined;
  if (replies !== undefined) {
    const script = parseReplies(await readFile(replies, "utf8"), replies);
    return { options: { replies: script }, what: `the script ${replies} (${script.length} replies)` };
  }
  await requireNodeLlamaCpp();
  const modelPath =
    (values["model-file"] as string | undefined) ??
    (await ensureDefaultModel({ io, alternatives: "model-file" }));
  return { options: { modelPath }, what: modelPath };
}
