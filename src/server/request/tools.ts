// `tools`, `tool_choice` and `response_format` of a chat request → their engine forms.
import type { EngineResponseFormat, EngineTool, EngineToolChoice } from "../engine/engine.js";
import { badRequest } from "../http-error.js";
import {
  type JsonObject,
  isJsonObject,
  optionalArray,
  optionalBoolean,
  optionalString,
  own,
  wrongType,
} from "./fields.js";

// OpenAI's rule for function names; it also keeps names safe inside grammars and prompts.
const functionName = /^[a-zA-Z0-9_-]{1,64}$/;

export function readTools(body: JsonObject): EngineTool[] {
  const tools = optionalArray(body, "tools") ?? [];
  const seen = new Set<string>();
  return tools.map((tool, index) => {
    const at = `tools[${index}]`;
    if (!isJsonObject(tool)) return wrongType(at, "an object", tool);
    const type = optionalString(tool, "type", `${at}.type`);
    if (type !== "function") {
      throw badRequest(`${at}.type must be 'function', not ${JSON.stringify(type ?? null)}.`, `${at}.type`);
    }
    const fn = own(tool, "function");
    if (!isJsonObject(fn)) return wrongType(`${at}.function`, "an object", fn);
    const name = optionalString(fn, "name", `${at}.function.name`);
    if (name === undefined || !functionName.test(name)) {
      throw badRequest(`${at}.function.name must match ${functionName.source}.`, `${at}.function.name`);
    }
    if (seen.has(name))
      throw badRequest(`${at}.function.name '${name}' is defined twice.`, `${at}.function.name`);
    seen.add(name);
    const description = optionalString(fn, "description", `${at}.function.description`);
    const parameters = own(fn, "parameters");
    if (parameters !== undefined && !isJsonObject(parameters)) {
      return wrongType(`${at}.function.parameters`, "a JSON Schema object", parameters);
    }
    const strict = optionalBoolean(fn, "strict", `${at}.function.strict`) ?? false;
    return { name, ...(description === undefined ? {} : { description }), parameters, strict };
  });
}

export function readToolChoice(body: JsonObject, tools: readonly EngineTool[]): EngineToolChoice {
  const choice = own(body, "tool_choice");
  if (choice === undefined) return "auto";
  if (choice === "auto" || choice === "none" || choice === "required") {
    if (choice === "required" && tools.length === 0) {
      throw badRequest("'tool_choice' is 'required' but no 'tools' were given.", "tool_choice");
    }
    return choice;
  }
  if (typeof choice === "string") {
    throw badRequest(
      `'tool_choice' must be auto, none, required or a function, not '${choice}'.`,
      "tool_choice",
    );
  }
  if (!isJsonObject(choice)) return wrongType("tool_choice", "a string or an object", choice);
  const fn = own(choice, "function");
  const name = isJsonObject(fn) ? own(fn, "name") : undefined;
  if (own(choice, "type") !== "function" || typeof name !== "string") {
    throw badRequest(
      '\'tool_choice\' as an object must be {"type": "function", "function": {"name": ...}}.',
      "tool_choice",
    );
  }
  if (!tools.some((tool) => tool.name === name)) {
    throw badRequest(
      `'tool_choice' names '${name}', which is not among 'tools'.`,
      "tool_choice.function.name",
    );
  }
  return { name };
}

export function readResponseFormat(body: JsonObject): EngineResponseFormat {
  const format = own(body, "response_format");
  if (format === undefined) return { type: "text" };
  if (!isJsonObject(format)) return wrongType("response_format", "an object", format);
  const type = own(format, "type");
  if (type === "text" || type === "json_object") return { type };
  if (type !== "json_schema") {
    throw badRequest(
      `'response_format.type' ${JSON.stringify(type ?? null)} is not supported: use text, json_object or json_schema.`,
      "response_format.type",
    );
  }
  const spec = own(format, "json_schema");
  if (!isJsonObject(spec)) return wrongType("response_format.json_schema", "an object", spec);
  const name = optionalString(spec, "name", "response_format.json_schema.name") ?? "response";
  const schema = own(spec, "schema");
  if (!isJsonObject(schema))
    return wrongType("response_format.json_schema.schema", "a JSON Schema object", schema);
  const strict = optionalBoolean(spec, "strict", "response_format.json_schema.strict") ?? false;
  return { type, name, schema, strict };
}
