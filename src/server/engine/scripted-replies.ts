// The replies of the scripted engine (`serve --replies FILE`, `createServer({ replies })`): their
// shape, checked once when the server starts so that a typo in a script fails loudly there and
// not as a puzzling answer in the middle of a test.

/** A tool call a scripted reply makes. */
export interface ScriptedToolCall {
  /** @default a generated `call_...` id */
  readonly id?: string;
  readonly name: string;
  /** JSON text, or a value sent as its JSON. @default {} */
  readonly arguments?: string | Readonly<Record<string, unknown>>;
}

/**
 * One reply of a script. A chat reply (`content` and/or `toolCalls`) is shaped by the request: a
 * `chat.completion`, or an event stream when the request asks for one. A raw reply (`status`) is
 * sent exactly, whatever the request asked.
 * @example
 * { "match": "weather", "toolCalls": [{ "name": "get_weather", "arguments": { "city": "Paris" } }] }
 * { "content": ["It is ", "sunny."], "delayMs": 50 }
 * { "status": 429, "headers": { "retry-after": "1" }, "body": { "error": { "message": "slow down" } } }
 */
export interface ScriptedReply {
  /** Chosen when the last user message contains this text; replies without one are taken in order. */
  readonly match?: string;
  /** Answer every request it is chosen for, instead of once. @default false */
  readonly repeat?: boolean;
  /** The answer's text; an array gives a stream its chunks (joined for a non-streamed request). */
  readonly content?: string | readonly string[];
  readonly toolCalls?: readonly ScriptedToolCall[];
  /** Milliseconds before the answer (non-streamed) or between chunks (streamed). @default 0 */
  readonly delayMs?: number;
  /** @default "tool_calls" with tool calls, else "stop" */
  readonly finishReason?: string;
  /** Token counts. @default estimates: a token per four characters */
  readonly usage?: { readonly promptTokens: number; readonly completionTokens: number };
  /** A streamed reply ends with this error event after its chunks (a failure after the first update). */
  readonly streamError?: { readonly message: string; readonly code?: string };
  /** A raw reply: this status, with `body` and `headers`, whatever the request asked. */
  readonly status?: number;
  /** The raw reply's body (JSON, or a string sent as it is). @default an error envelope */
  readonly body?: unknown;
  /** The raw reply's headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

const replyKeys: ReadonlySet<string> = new Set([
  "match", "repeat", "content", "toolCalls", "delayMs", "finishReason", "usage", "streamError", "status",
  "body", "headers",
]); // prettier-ignore
const chatOnly = ["content", "toolCalls", "finishReason", "usage", "streamError"] as const;

/** Checks every reply, naming the one at fault (`replies[2]`, or a file's `line 3`). */
export function checkScriptedReplies(
  replies: unknown,
  where: (index: number) => string = (index) => `replies[${index}]`,
): readonly ScriptedReply[] {
  if (!Array.isArray(replies)) throw new TypeError("replies must be an array of scripted replies.");
  return Object.freeze(replies.map((reply: unknown, index) => checkReply(reply, where(index))));
}

/** Reads a JSON lines script: one reply per line; blank lines and lines starting with `//` are skipped. */
export function parseScriptedReplies(text: string, name = "the script"): readonly ScriptedReply[] {
  const replies: unknown[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("//")) return;
    try {
      replies.push(JSON.parse(trimmed));
    } catch (error) {
      throw new SyntaxError(`${name} line ${index + 1}: not JSON (${(error as Error).message}).`);
    }
    lines.push(index + 1);
  });
  return checkScriptedReplies(replies, (index) => `${name} line ${lines[index]}`);
}

function checkReply(reply: unknown, at: string): ScriptedReply {
  if (typeof reply !== "object" || reply === null || Array.isArray(reply)) {
    throw new TypeError(`${at}: a reply must be an object.`);
  }
  const r = reply as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!replyKeys.has(key)) {
      throw new TypeError(`${at}: unknown key "${key}" (known: ${[...replyKeys].join(", ")}).`);
    }
  }
  const fail = (message: string): never => {
    throw new TypeError(`${at}: ${message}`);
  };
  if (r.match !== undefined && (typeof r.match !== "string" || r.match === "")) {
    fail("match must be a non-empty string.");
  }
  if (r.repeat !== undefined && typeof r.repeat !== "boolean") fail("repeat must be true or false.");
  if (r.delayMs !== undefined && !(typeof r.delayMs === "number" && r.delayMs >= 0 && r.delayMs < 2 ** 31)) {
    fail("delayMs must be a number of milliseconds, 0 or more.");
  }
  if (r.status !== undefined) {
    if (!Number.isInteger(r.status) || (r.status as number) < 200 || (r.status as number) > 599) {
      fail("status must be an HTTP status from 200 to 599.");
    }
    const mixed = chatOnly.find((key) => r[key] !== undefined);
    if (mixed !== undefined) fail(`a raw reply (status) cannot have "${mixed}"; its body says it all.`);
    checkHeaders(r.headers, fail);
    return Object.freeze({ ...(r as ScriptedReply) });
  }
  if (r.body !== undefined || r.headers !== undefined)
    fail("body and headers belong to a raw reply: add status.");
  if (r.content === undefined && r.toolCalls === undefined) {
    fail("a reply needs content, toolCalls or status.");
  }
  const content = r.content;
  if (
    content !== undefined &&
    typeof content !== "string" &&
    !(Array.isArray(content) && content.every((chunk) => typeof chunk === "string"))
  ) {
    fail("content must be a string or an array of strings (a stream's chunks).");
  }
  if (r.toolCalls !== undefined) checkToolCalls(r.toolCalls, fail);
  if (r.finishReason !== undefined && typeof r.finishReason !== "string")
    fail("finishReason must be a string.");
  if (r.usage !== undefined) {
    const usage = r.usage as Record<string, unknown>;
    const count = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;
    if (
      typeof usage !== "object" ||
      usage === null ||
      !count(usage.promptTokens) ||
      !count(usage.completionTokens)
    ) {
      fail("usage must be { promptTokens, completionTokens }, two whole numbers.");
    }
  }
  if (r.streamError !== undefined) {
    const error = r.streamError as Record<string, unknown>;
    if (typeof error !== "object" || error === null || typeof error.message !== "string") {
      fail('streamError must be { "message": "...", "code"?: "..." }.');
    }
  }
  return Object.freeze({ ...(r as ScriptedReply) });
}

function checkToolCalls(calls: unknown, fail: (message: string) => never): void {
  if (!Array.isArray(calls) || calls.length === 0) fail("toolCalls must be a non-empty array.");
  (calls as unknown[]).forEach((call, index) => {
    const c = call as Record<string, unknown>;
    if (typeof c !== "object" || c === null || typeof c.name !== "string" || c.name === "") {
      fail(`toolCalls[${index}] needs a name.`);
    }
    if (c.id !== undefined && typeof c.id !== "string") fail(`toolCalls[${index}].id must be a string.`);
    const args = c.arguments;
    if (args !== undefined && typeof args !== "string" && (typeof args !== "object" || args === null)) {
      fail(`toolCalls[${index}].arguments must be JSON text or an object.`);
    }
  });
}

function checkHeaders(headers: unknown, fail: (message: string) => never): void {
  if (headers === undefined) return;
  if (typeof headers !== "object" || headers === null || Array.isArray(headers))
    fail("headers must be an object.");
  for (const [name, value] of Object.entries(headers as object)) {
    if (typeof value !== "string") fail(`headers.${name} must be a string.`);
  }
}
