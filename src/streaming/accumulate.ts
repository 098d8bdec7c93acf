/**
 * Accumulation of streamed chunks into one chat completions reply (protocol.md P5.8, P5.13).
 *
 * Every chunk is added once, as parsed, before its update is handed to the caller, so the result
 * covers every update whether it was iterated or not, and a failure can carry `partial` at any
 * moment. Work per chunk is a few property reads and array pushes; text arrives as pieces that
 * are joined once when a result is built, so the whole is linear in the stream's size.
 * Maps (not objects) hold keys that come from the wire, so a `__proto__` key is only data.
 */
import type { WireObject } from "../models/model.js";
import { putKey, toPlain } from "../models/wire-values.js";

/** A key whose value is the first non-empty one seen, else the first one seen. */
interface FirstValue {
  value: unknown;
  settled: boolean;
}

/** A message field: text pieces joined, or a value, or an object merged from fragments. */
interface MessageField {
  /** Text pieces, when any string arrived. */
  pieces: string[] | undefined;
  /** The last non-null value that was not a string (null when only nulls arrived). */
  value: unknown;
  /** For object fields sent in fragments (`audio`, `function_call`). */
  merged: ObjectMerge | undefined;
}

interface ToolCallState {
  readonly index: number | undefined;
  id: string | undefined;
  type: string | undefined;
  name: string | undefined;
  readonly args: string[];
  extras: Map<string, FirstValue> | undefined;
  functionExtras: Map<string, FirstValue> | undefined;
}

interface ChoiceState {
  readonly index: number;
  role: unknown;
  contentSeen: boolean;
  readonly content: string[];
  /** Other message keys in order of arrival; `tool_calls` holds its place here too. */
  readonly fields: Map<string, MessageField | undefined>;
  toolCalls: ToolCallState[] | undefined;
  byIndex: Map<number, ToolCallState> | undefined;
  byId: Map<string, ToolCallState> | undefined;
  lastCall: ToolCallState | undefined;
  finishReason: unknown;
  logprobsSeen: boolean;
  logprobs: Map<string, { arrays: unknown[][] | undefined; value: unknown }> | undefined;
  /** Choice-level extras (`content_filter_results`...): the last non-empty value. */
  readonly extras: Map<string, unknown>;
}

/** Message fields that are objects sent in pieces: these subkeys are text joined, others first non-empty. */
const FRAGMENTED_OBJECTS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["audio", new Set(["data", "transcript"])],
  ["function_call", new Set(["arguments"])],
]);

const TOP_FIRST_NON_EMPTY = ["id", "created", "model"] as const;

/** Builds one `ChatCompletions` wire object from the chunks of a stream. */
export class ChatCompletionsAccumulator {
  /** How many chunks were added. */
  count = 0;
  /** Top-level keys but `choices`, `usage` and `object`, in order of arrival. */
  readonly #top = new Map<string, FirstValue>();
  #usage: unknown = undefined;
  readonly #choices = new Map<number, ChoiceState>();
  #lastChoice: ChoiceState | undefined;

  /** Adds one parsed chunk. Never throws, whatever its shape. */
  add(chunk: WireObject): void {
    this.count++;
    for (const key in chunk) {
      const value = chunk[key];
      switch (key) {
        case "choices":
          if (Array.isArray(value)) {
            for (let i = 0; i < value.length; i++) {
              const choice = value[i];
              if (typeof choice === "object" && choice !== null) this.#addChoice(choice as WireObject, i);
            }
          }
          break;
        case "usage":
          if (value !== null && value !== undefined) this.#usage = value;
          break;
        case "object":
          break;
        default:
          keepFirst(this.#top, key, value);
      }
    }
  }

  /**
   * A new wire object of everything added so far, shaped like a non-streamed reply (P5.13). Each
   * call builds a fresh object that shares nothing with the chunks.
   */
  result(): WireObject {
    const top = this.#top;
    const out: WireObject = {
      id: top.get("id")?.value ?? "",
      object: "chat.completion",
      created: top.get("created")?.value ?? 0,
      model: top.get("model")?.value ?? "",
      choices: [...this.#choices.values()].sort((a, b) => a.index - b.index).map(choiceResult),
    };
    if (this.#usage !== undefined) out.usage = toPlain(this.#usage, false);
    for (const [key, first] of top) {
      if (!(TOP_FIRST_NON_EMPTY as readonly string[]).includes(key))
        putKey(out, key, toPlain(first.value, false));
    }
    return out;
  }

  #addChoice(choice: WireObject, position: number): void {
    const rawIndex = choice.index;
    const index = typeof rawIndex === "number" ? rawIndex : position;
    let state = this.#lastChoice;
    if (state === undefined || state.index !== index) {
      state = this.#choices.get(index);
      if (state === undefined) {
        state = newChoice(index);
        this.#choices.set(index, state);
      }
      this.#lastChoice = state;
    }
    for (const key in choice) {
      const value = choice[key];
      switch (key) {
        case "index":
        case "message":
          break;
        case "delta":
          if (typeof value === "object" && value !== null) addDelta(state, value as WireObject);
          break;
        case "finish_reason":
          if (value !== null && value !== undefined) state.finishReason = value;
          break;
        case "logprobs":
          addLogprobs(state, value);
          break;
        default:
          if (!isEmpty(value) || !state.extras.has(key)) state.extras.set(key, value);
      }
    }
  }
}

function newChoice(index: number): ChoiceState {
  return {
    index,
    role: undefined,
    contentSeen: false,
    content: [],
    fields: new Map(),
    toolCalls: undefined,
    byIndex: undefined,
    byId: undefined,
    lastCall: undefined,
    finishReason: null,
    logprobsSeen: false,
    logprobs: undefined,
    extras: new Map(),
  };
}

function addDelta(state: ChoiceState, delta: WireObject): void {
  for (const key in delta) {
    const value = delta[key];
    switch (key) {
      case "content":
        if (typeof value === "string") {
          state.contentSeen = true;
          if (value.length > 0) state.content.push(value);
        }
        break;
      case "role":
        if (state.role === undefined && value !== null && value !== undefined) state.role = value;
        break;
      case "tool_calls":
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            const fragment = value[i];
            if (typeof fragment === "object" && fragment !== null)
              addToolFragment(state, fragment as WireObject);
          }
        }
        break;
      default:
        addMessageField(state, key, value);
    }
  }
}

function addMessageField(state: ChoiceState, key: string, value: unknown): void {
  let field = state.fields.get(key);
  if (field === undefined) {
    field = { pieces: undefined, value: null, merged: undefined };
    state.fields.set(key, field);
  }
  if (typeof value === "string") {
    (field.pieces ??= []).push(value);
    return;
  }
  if (value === null || value === undefined) return;
  const joined = FRAGMENTED_OBJECTS.get(key);
  if (joined !== undefined && typeof value === "object" && !Array.isArray(value)) {
    (field.merged ??= new ObjectMerge(joined)).add(value as WireObject);
  } else {
    field.value = value;
  }
}

/** Tool-call fragments (P5.8): keyed by `index` when present, else by `id`, else the last call. */
function addToolFragment(state: ChoiceState, fragment: WireObject): void {
  const index = fragment.index;
  const id = fragment.id;
  const hasId = typeof id === "string" && id !== "";
  let call: ToolCallState | undefined;
  if (typeof index === "number") {
    call = state.byIndex?.get(index);
    // Some servers number every parallel call 0; a new id at a known index starts a new call.
    if (call !== undefined && hasId && call.id !== undefined && call.id !== id) call = undefined;
    if (call === undefined) {
      call = newToolCall(state, index);
      (state.byIndex ??= new Map()).set(index, call);
    }
  } else if (hasId) {
    call = state.byId?.get(id) ?? newToolCall(state, undefined);
  } else {
    call = state.lastCall ?? newToolCall(state, undefined);
  }
  state.lastCall = call;
  if (hasId && call.id === undefined) {
    call.id = id;
    (state.byId ??= new Map()).set(id, call);
  }
  for (const key in fragment) {
    const value = fragment[key];
    switch (key) {
      case "index":
      case "id":
        break;
      case "type":
        if (call.type === undefined && typeof value === "string" && value !== "") call.type = value;
        break;
      case "function":
        if (typeof value === "object" && value !== null) addFunctionFragment(call, value as WireObject);
        break;
      default:
        keepFirst((call.extras ??= new Map()), key, value);
    }
  }
}

function addFunctionFragment(call: ToolCallState, fn: WireObject): void {
  for (const key in fn) {
    const value = fn[key];
    switch (key) {
      case "name":
        if (call.name === undefined && typeof value === "string" && value !== "") call.name = value;
        break;
      case "arguments":
        if (typeof value === "string") {
          if (value.length > 0) call.args.push(value);
        } else if (value !== null && value !== undefined) {
          // A server that sends the arguments as an object: keep them, as the JSON text they mean.
          call.args.push(JSON.stringify(value));
        }
        break;
      default:
        keepFirst((call.functionExtras ??= new Map()), key, value);
    }
  }
}

function newToolCall(state: ChoiceState, index: number | undefined): ToolCallState {
  const call: ToolCallState = {
    index,
    id: undefined,
    type: undefined,
    name: undefined,
    args: [],
    extras: undefined,
    functionExtras: undefined,
  };
  if (state.toolCalls === undefined) {
    state.toolCalls = [];
    state.fields.set("tool_calls", undefined);
  }
  state.toolCalls.push(call);
  return call;
}

function addLogprobs(state: ChoiceState, value: unknown): void {
  state.logprobsSeen = true;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return;
  const logprobs = (state.logprobs ??= new Map());
  for (const key in value as WireObject) {
    const part = (value as WireObject)[key];
    let entry = logprobs.get(key);
    if (entry === undefined) {
      entry = { arrays: undefined, value: part };
      logprobs.set(key, entry);
    }
    if (Array.isArray(part)) (entry.arrays ??= []).push(part);
    else if (part !== null && part !== undefined) entry.value = part;
  }
}

// ---- results ----------------------------------------------------------------------------------

function choiceResult(state: ChoiceState): WireObject {
  const message: WireObject = {
    role: state.role ?? "assistant",
    content: state.contentSeen ? state.content.join("") : null,
  };
  for (const [key, field] of state.fields) {
    if (field === undefined) {
      message.tool_calls = toolCallsResult(state.toolCalls!);
    } else if (field.merged !== undefined) {
      putKey(message, key, field.merged.result());
    } else {
      putKey(message, key, field.pieces !== undefined ? field.pieces.join("") : toPlain(field.value, false));
    }
  }
  const out: WireObject = { index: state.index, message };
  if (state.logprobsSeen) out.logprobs = logprobsResult(state);
  out.finish_reason = state.finishReason;
  for (const [key, value] of state.extras) {
    if (!Object.hasOwn(out, key)) putKey(out, key, toPlain(value, false));
  }
  return out;
}

function toolCallsResult(calls: ToolCallState[]): WireObject[] {
  // Ordered by index, else by first appearance (a stable sort keeps the appearance order).
  const ordered = calls.some((c) => c.index === undefined)
    ? calls
    : [...calls].sort((a, b) => a.index! - b.index!);
  return ordered.map((call) => {
    const fn: WireObject = { name: call.name ?? "", arguments: call.args.join("") };
    if (call.functionExtras !== undefined) putFirstValues(fn, call.functionExtras);
    const out: WireObject = { id: call.id ?? "", type: call.type ?? "function", function: fn };
    if (call.extras !== undefined) putFirstValues(out, call.extras);
    return out;
  });
}

function logprobsResult(state: ChoiceState): unknown {
  if (state.logprobs === undefined) return null;
  const out: WireObject = {};
  for (const [key, entry] of state.logprobs) {
    if (entry.arrays === undefined) {
      putKey(out, key, toPlain(entry.value, false));
      continue;
    }
    const joined: unknown[] = [];
    for (const array of entry.arrays) for (const item of array) joined.push(toPlain(item, false));
    putKey(out, key, joined);
  }
  return out;
}

function putFirstValues(target: WireObject, values: Map<string, FirstValue>): void {
  for (const [key, first] of values)
    if (!Object.hasOwn(target, key)) putKey(target, key, toPlain(first.value, false));
}

/** An object field sent in fragments: the `joined` subkeys are text, the others first non-empty. */
class ObjectMerge {
  readonly #joined: ReadonlySet<string>;
  readonly #fields = new Map<string, { pieces: string[] | undefined; first: FirstValue }>();

  constructor(joined: ReadonlySet<string>) {
    this.#joined = joined;
  }

  add(fragment: WireObject): void {
    for (const key in fragment) {
      const value = fragment[key];
      let field = this.#fields.get(key);
      if (field === undefined) {
        field = { pieces: undefined, first: { value, settled: !isEmpty(value) } };
        this.#fields.set(key, field);
      } else if (!field.first.settled && !isEmpty(value)) {
        field.first = { value, settled: true };
      }
      if (this.#joined.has(key) && typeof value === "string") (field.pieces ??= []).push(value);
    }
  }

  result(): WireObject {
    const out: WireObject = {};
    for (const [key, field] of this.#fields) {
      putKey(
        out,
        key,
        field.pieces !== undefined ? field.pieces.join("") : toPlain(field.first.value, false),
      );
    }
    return out;
  }
}

/** Records `value` under `key` when it is the first non-empty one (or the first one at all). */
function keepFirst(values: Map<string, FirstValue>, key: string, value: unknown): void {
  const first = values.get(key);
  if (first === undefined) values.set(key, { value, settled: !isEmpty(value) });
  else if (!first.settled && !isEmpty(value)) {
    first.value = value;
    first.settled = true;
  }
}

/** "Empty" in the sense of P5.13: absent, `null`, `""`, `0`, `{}` or `[]`. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === "" || value === 0) return true;
  if (typeof value !== "object") return false;
  if (Array.isArray(value)) return value.length === 0;
  for (const key in value) if (Object.hasOwn(value, key)) return false;
  return true;
}
