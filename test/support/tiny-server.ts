// A server over the real llama engine and the tiny model, plus small helpers to talk to it
// in-process. Tests parse the SSE themselves here (the SDK's stream reader is tested elsewhere).
import { type InferenceServer, type ServerOptions, createServer } from "../../src/server/index.js";
import { tinyModelPath } from "./tiny-model.js";

export async function startTinyServer(
  options: Omit<ServerOptions, "modelPath"> = {},
): Promise<InferenceServer> {
  return createServer({ modelPath: await tinyModelPath(), log: false, ...options });
}

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** POSTs `body` as JSON (a string is sent as is). */
export function postJson(
  fetch: Fetch,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  init: RequestInit = {},
): Promise<Response> {
  return fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
}

/** A user message list of one. */
export const ask = (content: string) => [{ role: "user", content }];

/** The events of an SSE body: each `data:` payload parsed, `[DONE]` as the string. */
export async function readSse(response: Response): Promise<unknown[]> {
  const text = await response.text();
  const events: unknown[] = [];
  for (const block of text.split("\n\n")) {
    const data = block
      .split("\n")
      .filter((line) => line.startsWith("data:"))
      .map((line) => line.slice(5).trimStart())
      .join("\n");
    if (data === "") continue;
    events.push(data === "[DONE]" ? data : JSON.parse(data));
  }
  return events;
}

/** The envelope of an error response. */
export async function errorOf(
  response: Response,
): Promise<{ code: string; message: string; param?: string }> {
  const body = (await response.json()) as { error: { code: string; message: string; param?: string } };
  return body.error;
}
