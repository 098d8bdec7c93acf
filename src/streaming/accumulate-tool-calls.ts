// Tool-call fragments of one choice, put back together (protocol.md P5.8).
import type { WireObject } from "../models/model.js";
import { type FirstValue, keepFirst, putFirstValues } from "./accumulate-values.js";

interface ToolCallState {
  readonly index: number | undefined;
  id: string | undefined;
  type: string | undefined;
  name: string | undefined;
  readonly args: string[];
  extras: Map<string, FirstValue> | undefined;
  functionExtras: Map<string, FirstValue> | undefined;
}

/**
 * The calls of one choice. OpenAI-style services send fragments with an `index` (the first with
 * `id`, `type` and the name, later ones a piece of `arguments`); Mistral-style services send a
 * whole call without `index` or `type`. Fragments are keyed by `index` when present, else a seen
 * `id` continues its call, a new `id` starts one, and no id continues the last call, unless the
 * fragment names a function and the last call already has a name: that is a new call (two whole
 * calls in one delta without `index` or `id` must not become one).
 */
export class ToolCallsAccumulator {
  readonly #calls: ToolCallState[] = [];
  #byIndex: Map<number, ToolCallState> | undefined;
  #byId: Map<string, ToolCallState> | undefined;
  #last: ToolCallState | undefined;

  add(fragment: WireObject): void {
    const index = fragment.index;
    const id = fragment.id;
    const hasId = typeof id === "string" && id !== "";
    let call: ToolCallState | undefined;
    if (typeof index === "number") {
      call = this.#byIndex?.get(index);
      // Some servers number every parallel call 0: a new id at a known index starts a new call.
      if (call !== undefined && hasId && call.id !== undefined && call.id !== id) call = undefined;
      if (call === undefined) {
        call = this.#newCall(index);
        (this.#byIndex ??= new Map()).set(index, call);
      }
    } else if (hasId) {
      call = this.#byId?.get(id) ?? this.#newCall(undefined);
    } else {
      call = this.#last;
      if (call === undefined || (call.name !== undefined && namesFunction(fragment))) {
        call = this.#newCall(undefined);
      }
    }
    this.#last = call;
    if (hasId && call.id === undefined) {
      call.id = id;
      (this.#byId ??= new Map()).set(id, call);
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
          if (typeof value === "object" && value !== null) addFunction(call, value as WireObject);
          break;
        default:
          keepFirst((call.extras ??= new Map()), key, value);
      }
    }
  }

  /** The calls ordered by index (else by first appearance), with no holes and no `index` key. */
  result(): WireObject[] {
    const calls = this.#calls;
    const ordered = calls.some((c) => c.index === undefined)
      ? calls
      : [...calls].sort((a, b) => a.index! - b.index!); // stable: equal indexes keep their order
    return ordered.map((call) => {
      const fn: WireObject = { name: call.name ?? "", arguments: call.args.join("") };
      if (call.functionExtras !== undefined) putFirstValues(fn, call.functionExtras);
      const out: WireObject = { id: call.id ?? "", type: call.type ?? "function", function: fn };
      if (call.extras !== undefined) putFirstValues(out, call.extras);
      return out;
    });
  }

  #newCall(index: number | undefined): ToolCallState {
    const call: ToolCallState = {
      index,
      id: undefined,
      type: undefined,
      name: undefined,
      args: [],
      extras: undefined,
      functionExtras: undefined,
    };
    this.#calls.push(call);
    return call;
  }
}

function namesFunction(fragment: WireObject): boolean {
  const fn = fragment.function;
  if (typeof fn !== "object" || fn === null) return false;
  const name = (fn as WireObject).name;
  return typeof name === "string" && name !== "";
}

function addFunction(call: ToolCallState, fn: WireObject): void {
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
