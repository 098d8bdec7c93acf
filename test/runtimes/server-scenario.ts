// The local server inside the runtime under test (issue 12, "the server in other runtimes"): where
// node-llama-cpp loads (Node.js, Bun and Deno, through Node-API), the runtime starts
// `ai-inference/server` with the tiny model, runs the whole shared scenario against it over HTTP,
// then checks the in-process `fetch` and `close()`. Copied next to the packed install like
// scenario.ts.
import { AzureKeyCredential, ChatCompletionsClient, UserMessage } from "ai-inference";
import { createServer } from "ai-inference/server";
import { type StepResult, runScenario, scenarioSteps } from "./scenario.js";

export interface ServerScenarioConfig {
  readonly runtime: string;
  readonly modelPath: string;
  readonly faultProxy: string;
}

const serverSteps = ["the server's in-process fetch", "close(): the port stops answering"] as const;

/** The step names reported, in order. */
export const serverScenarioSteps: readonly string[] = [
  "createServer() and listen()",
  ...scenarioSteps,
  ...serverSteps,
];

export async function runServerScenario(config: ServerScenarioConfig): Promise<StepResult[]> {
  const apiKey = "runtime-server-key";
  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  let url = "";
  const started = await step(serverScenarioSteps[0], async () => {
    server = await createServer({ modelPath: config.modelPath, threads: 1, apiKey, log: false });
    url = await server.listen({ port: 0 });
    return url;
  });
  if (!started.ok || server === undefined) {
    await server?.close();
    return [started];
  }
  const results: StepResult[] = [started];
  const running = server;
  results.push(
    ...(await runScenario({
      runtime: `${config.runtime}-server`,
      endpoint: url,
      apiKey,
      faultProxy: config.faultProxy,
    })),
  );

  results.push(
    await step(serverSteps[0], async () => {
      const client = new ChatCompletionsClient("http://in-process", new AzureKeyCredential(apiKey), {
        fetch: running.fetch,
      });
      const answer = await client.complete({ messages: [new UserMessage("Hi")], maxTokens: 4 });
      if (!answer.choices[0].message.content) throw new Error("expected an answer through server.fetch");
      return `${answer.usage?.completionTokens} tokens`;
    }),
  );
  results.push(
    await step(serverSteps[1], async () => {
      await running.close();
      const refused = await fetch(`${url}/info`).then(
        (response) => `status ${response.status}`,
        () => "refused",
      );
      if (refused !== "refused") throw new Error(`expected the closed port to refuse, got ${refused}`);
      return "refused";
    }),
  );
  return results;
}

async function step(name: string, body: () => Promise<string>): Promise<StepResult> {
  const started = Date.now();
  try {
    const detail = await body();
    return { name, ok: true, detail, durationMs: Date.now() - started };
  } catch (error) {
    return { name, ok: false, detail: describe(error), durationMs: Date.now() - started };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
