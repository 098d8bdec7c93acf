// An embeddings body (protocol.md P1: input, dimensions, encoding_format, input_type, model) →
// a validated engine request. Known keys come from the model layer's tables, like chat's.
import { embeddingsOptionWireNames, openAiOnlyEmbeddingsWireKeys } from "../../models/embeddings-options.js";
import type { EngineEmbeddingsRequest } from "../engine/engine.js";
import { badRequest, unsupported } from "../http-error.js";
import { readExtraParametersMode, takeExtraParameters } from "./extra-parameters.js";
import { type JsonObject, optionalInteger, optionalString, own, wrongType } from "./fields.js";

/** Every body key the server knows (P1, and OpenAI's `user`). */
export const knownEmbeddingsKeys: ReadonlySet<string> = new Set([
  ...Object.values(embeddingsOptionWireNames),
  ...openAiOnlyEmbeddingsWireKeys,
]);

export interface EmbeddingsRequest {
  readonly engineRequest: EngineEmbeddingsRequest;
  readonly encodingFormat: "float" | "base64";
}

export function readEmbeddingsRequest(body: JsonObject, headers: Headers): EmbeddingsRequest {
  takeExtraParameters(body, knownEmbeddingsKeys, readExtraParametersMode(headers));
  const input = own(body, "input");
  if (input === undefined) throw badRequest("'input' is required: a string or an array of strings.", "input");
  const list = typeof input === "string" ? [input] : input;
  if (!Array.isArray(list)) return wrongType("input", "a string or an array of strings", input);
  if (list.length === 0) throw badRequest("'input' must hold at least one string.", "input");
  const texts = list.map((item: unknown, index) => {
    if (typeof item !== "string") return wrongType(`input[${index}]`, "a string", item);
    if (item === "") throw badRequest(`'input[${index}]' is empty.`, `input[${index}]`);
    return item;
  });
  const format = optionalString(body, "encoding_format") ?? "float";
  if (format !== "float" && format !== "base64") {
    throw unsupported(`'encoding_format' must be float or base64, not '${format}'.`, "encoding_format");
  }
  optionalString(body, "input_type");
  optionalString(body, "model");
  optionalString(body, "user");
  const dimensions = optionalInteger(body, "dimensions", 1);
  return {
    engineRequest: { input: texts, ...(dimensions === undefined ? {} : { dimensions }) },
    encodingFormat: format,
  };
}
