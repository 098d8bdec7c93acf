// Request bodies (P1.2–P1.9, P5.6): typed options → the wire body, with client defaults, model
// extras, the response_format conversions and the extra-parameters rule. Pure: no I/O, so every
// caller mistake is reported before anything is sent.
import {
  type ChatCompletionsOptions,
  chatOptionWireNames,
  modelInferenceChatWireKeys,
} from "../models/chat-completions-options.js";
import { embeddingsOptionWireNames } from "../models/embeddings-options.js";
import { ChatCompletionsResponseFormat, JsonSchemaFormat } from "../models/response-formats.js";
import { isNamedSchema, isStandardSchema } from "../models/schema-inputs.js";
import type { WireInput, WireObject } from "../models/model.js";
import { isPlainObject, isSpreadModel, refuseSpreadModels, spreadModelError } from "../models/wire-values.js";
import { type EndpointKind, isOpenAiSchema } from "./endpoint-kind.js";
import { REQUEST_OPTION_KEYS, checkExtras } from "./options.js";

/** A body ready to send. */
export interface PreparedBody {
  readonly body: string | Uint8Array;
  /** Whether the response is an event stream. */
  readonly stream: boolean;
  /** Whether to send `extra-parameters: pass-through` (P1.5). */
  readonly passThrough: boolean;
}

/** What the body builders need from the client. */
export interface BodyContext {
  readonly kind: EndpointKind;
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly modelExtras: Readonly<Record<string, unknown>> | undefined;
}

/** A raw request body (P1.7). */
export type RawBody = WireInput | string | Uint8Array;

const CHAT_CALL_KEYS = new Set(["stream", "includeUsage", "modelExtras", "body"]);
const CHAT_TYPED = Object.keys(chatOptionWireNames).filter(
  (k) => k !== "stream",
) as (keyof ChatCompletionsOptions)[];
const CHAT_WIRE = new Set<string>([...Object.values(chatOptionWireNames), "stream_options"]);
// The embeddings tables are marked pure, so that a program without an embeddings client drops them.
const EMBEDDINGS_TYPED = /* @__PURE__ */ Object.keys(
  embeddingsOptionWireNames,
) as (keyof typeof embeddingsOptionWireNames)[];
const EMBEDDINGS_WIRE = /* @__PURE__ */ new Set<string>(
  /* @__PURE__ */ Object.values(embeddingsOptionWireNames),
);
const EMBEDDINGS_SCHEMA = EMBEDDINGS_WIRE;
const EMBEDDINGS_CALL_KEYS = new Set(["modelExtras", "body"]);

/** Chat options a client may hold as `defaults` (every option but `messages` and `stream`). */
export const CHAT_DEFAULT_KEYS: ReadonlySet<string> = new Set(CHAT_TYPED.filter((k) => k !== "messages"));
/** Embeddings options a client may hold as `defaults` (every option but `input`). */
export const EMBEDDINGS_DEFAULT_KEYS: ReadonlySet<string> = /* @__PURE__ */ new Set(
  /* @__PURE__ */ EMBEDDINGS_TYPED.filter((k) => k !== "input"),
);

/**
 * The chat completions body of a call (P1.2–P1.8, P5.6): typed options over the client's
 * defaults, extras merged at the top level, `stream_options` where it is known to be accepted.
 */
export function buildChatBody(call: Record<string, unknown>, context: BodyContext): PreparedBody {
  if (call.body !== undefined) return rawBody(call, CHAT_TYPED, CHAT_CALL_KEYS, "complete");
  checkKeys(call, chatOptionWireNames, CHAT_CALL_KEYS, "complete");
  const body: WireObject = {};
  let outsideSchema = false;
  for (const typed of CHAT_TYPED) {
    let value = call[typed];
    if (value === undefined) value = context.defaults[typed];
    if (value === undefined) continue;
    const wire = chatOptionWireNames[typed];
    body[wire] = typed === "responseFormat" ? toResponseFormat(value) : value;
    if (!modelInferenceChatWireKeys.has(wire)) outsideSchema = true;
  }
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new TypeError("complete(): messages must be an array of at least one message.");
  }
  const stream = checkBoolean(call.stream, "stream") === true;
  const includeUsage = checkBoolean(call.includeUsage, "includeUsage");
  if (stream) {
    body.stream = true;
    if (includeUsage === true) {
      body.stream_options = { include_usage: true };
      outsideSchema = true;
    } else if (includeUsage === undefined && context.kind !== "model-inference") {
      // Known to be accepted there (P5.6); on its own it never adds the extra-parameters header.
      body.stream_options = { include_usage: true };
    }
  } else if (call.stream === false) {
    body.stream = false;
  }
  if (mergeExtras(body, context.modelExtras, call.modelExtras, CHAT_WIRE, "complete")) outsideSchema = true;
  return {
    body: serialize(body, "complete"),
    stream,
    passThrough: outsideSchema && !isOpenAiSchema(context.kind),
  };
}

/** The embeddings body of a call (P1.9), text or image. */
export function buildEmbeddingsBody(
  call: Record<string, unknown>,
  context: BodyContext,
  method: string,
): PreparedBody {
  if (call.body !== undefined) return rawBody(call, EMBEDDINGS_TYPED, EMBEDDINGS_CALL_KEYS, method);
  checkKeys(call, embeddingsOptionWireNames, EMBEDDINGS_CALL_KEYS, method);
  const body: WireObject = {};
  for (const typed of EMBEDDINGS_TYPED) {
    let value = call[typed];
    if (value === undefined) value = context.defaults[typed];
    if (value !== undefined) body[embeddingsOptionWireNames[typed]] = value;
  }
  if (!Array.isArray(body.input)) throw new TypeError(`${method}(): input must be an array.`);
  const outsideSchema = mergeExtras(body, context.modelExtras, call.modelExtras, EMBEDDINGS_SCHEMA, method);
  return {
    body: serialize(body, method),
    stream: false,
    passThrough: outsideSchema && !isOpenAiSchema(context.kind),
  };
}

/** The JSON text of a body; a model spread into a plain object (`{ ...message }`) is refused, never sent as `{}`. */
function serialize(body: WireObject, method: string): string {
  const text = JSON.stringify(body);
  refuseSpreadModels(body, `${method}(): body`);
  return text;
}

/** `response_format` from what `responseFormat` accepts (P1.4), schemas included. */
export function toResponseFormat(value: unknown): unknown {
  if (value === "text" || value === "json_object") return { type: value };
  if (value instanceof JsonSchemaFormat) return { type: "json_schema", json_schema: value };
  if (value instanceof ChatCompletionsResponseFormat) return value;
  // A schema of a validation library first: Valibot's are plain objects.
  if (isStandardSchema(value)) return toResponseFormat(JsonSchemaFormat.fromSchema(value as never));
  if (isPlainObject(value) && ["text", "json_object", "json_schema"].includes(value.type as string))
    return value;
  if (isNamedSchema(value)) {
    const { name, schema, description, strict } = value;
    return toResponseFormat(JsonSchemaFormat.fromSchema(schema as never, { name, description, strict }));
  }
  if (isSpreadModel(value)) throw spreadModelError("responseFormat");
  throw new TypeError(
    `responseFormat must be "text", "json_object", a JsonSchemaFormat, a response-format model, ` +
      `a wire object with type text, json_object or json_schema, a schema with its name ` +
      `({ name, schema }) or a Zod 4.2+ schema; got ${describe(value)}.`,
  );
}

/** A raw body sent exactly (P1.7): no defaults, no extras, no wire option beside it. */
function rawBody(
  call: Record<string, unknown>,
  typedKeys: readonly string[],
  callKeys: ReadonlySet<string>,
  method: string,
): PreparedBody {
  const { body } = call;
  for (const key of Object.keys(call)) {
    if (call[key] === undefined || key === "body" || REQUEST_OPTION_KEYS.has(key)) continue;
    // For a string or bytes, only the call can say whether the answer is a stream (P1.7).
    const allowed =
      key === "stream" && callKeys.has("stream") && (typeof body === "string" || body instanceof Uint8Array);
    if (!allowed && (typedKeys.includes(key) || callKeys.has(key))) {
      throw new TypeError(
        `${method}(): body is sent exactly as given, so "${key}" cannot be set beside it` +
          (key === "stream" ? ' (for an object body, put "stream" in the body).' : "."),
      );
    }
    if (!allowed) throw unknownOption(method, key);
  }
  if (typeof body === "string" || body instanceof Uint8Array) {
    return { body, stream: checkBoolean(call.stream, "stream") === true, passThrough: false };
  }
  if (!isPlainObject(body))
    throw new TypeError(`${method}(): body must be a plain object, a string or a Uint8Array.`);
  return { body: serialize(body, method), stream: body.stream === true, passThrough: false };
}

function checkKeys(
  call: Record<string, unknown>,
  table: Readonly<Record<string, string>>,
  callKeys: ReadonlySet<string>,
  method: string,
): void {
  for (const key of Object.keys(call)) {
    if (!Object.hasOwn(table, key) && !callKeys.has(key) && !REQUEST_OPTION_KEYS.has(key)) {
      throw unknownOption(method, key, table);
    }
  }
}

function unknownOption(method: string, key: string, table?: Readonly<Record<string, string>>): TypeError {
  const typed = table && Object.keys(table).find((name) => table[name] === key);
  const hint = typed ? ` Options use typed names: did you mean "${typed}"?` : "";
  return new TypeError(
    `${method}(): unknown option "${key}".${hint} Body keys outside the schema go in modelExtras: { ${JSON.stringify(key)}: ... }.`,
  );
}

/** Merges client then call extras into `body`; returns whether any key was added. */
function mergeExtras(
  body: WireObject,
  clientExtras: Readonly<Record<string, unknown>> | undefined,
  callExtras: unknown,
  standard: ReadonlySet<string>,
  method: string,
): boolean {
  const call = checkExtras(callExtras, "modelExtras");
  if (clientExtras === undefined && call === undefined) return false;
  const extras = { ...clientExtras, ...call };
  let added = false;
  for (const key of Object.keys(extras)) {
    if (extras[key] === undefined) continue;
    if (standard.has(key) || Object.hasOwn(body, key)) {
      throw new TypeError(
        `${method}(): modelExtras.${key} collides with a standard body field; set it through its own option.`,
      );
    }
    Object.defineProperty(body, key, {
      value: extras[key],
      enumerable: true,
      writable: true,
      configurable: true,
    });
    added = true;
  }
  return added;
}

function checkBoolean(value: unknown, option: string): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw new TypeError(`${option} must be true or false.`);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object")
    return isPlainObject(value) ? JSON.stringify(value).slice(0, 80) : `a ${value.constructor?.name}`;
  return String(value);
}
