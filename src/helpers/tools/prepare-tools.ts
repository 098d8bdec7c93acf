// The tools of a run, checked and made ready before the first request: names, schemas, wire definitions.
import type { WireObject } from "../../models/model.js";
import { type PreparedSchema, prepareSchema } from "../schemas/prepare-schema.js";
import type { RunnableTool } from "./define-tool.js";

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** A tool with its wire definition and the check of its arguments. */
export interface PreparedTool {
  readonly tool: RunnableTool;
  /** `{ type: "function", function: { name, description, parameters, strict } }`. */
  readonly definition: WireObject;
  /** Absent when the tool declares no parameters. */
  readonly schema: PreparedSchema | undefined;
}

/**
 * Checks every tool and prepares its schema; throws `TypeError` naming the tool at fault. `cache`
 * keeps the tools already prepared (a `prepareRound` that swaps tools in prepares each once).
 */
export async function prepareTools(
  tools: unknown,
  where = "runTools(): tools",
  cache?: WeakMap<RunnableTool, PreparedTool>,
): Promise<Map<string, PreparedTool>> {
  if (!Array.isArray(tools) || tools.length === 0) {
    throw new TypeError(`${where} must be an array of at least one tool.`);
  }
  const prepared = new Map<string, PreparedTool>();
  for (let index = 0; index < tools.length; index++) {
    const tool = tools[index] as RunnableTool;
    const known = cache?.get(tool);
    if (known !== undefined && !prepared.has(tool.name)) {
      prepared.set(tool.name, known);
      continue;
    }
    const at = `${where}[${index}]`;
    if (typeof tool !== "object" || tool === null) throw new TypeError(`${at} must be a tool object.`);
    if (typeof tool.name !== "string" || !TOOL_NAME.test(tool.name)) {
      throw new TypeError(
        `${at}.name must be 1 to 64 letters, digits, "_" or "-", got ${JSON.stringify(tool.name)}.`,
      );
    }
    if (prepared.has(tool.name)) throw new TypeError(`${at}: two tools are named "${tool.name}".`);
    if (tool.execute !== undefined && typeof tool.execute !== "function") {
      throw new TypeError(`${at}.execute must be a function (or left out, for a tool the caller runs).`);
    }
    const approval = tool.needsApproval;
    if (approval !== undefined && typeof approval !== "boolean" && typeof approval !== "function") {
      throw new TypeError(`${at}.needsApproval must be true, false or a function of the arguments.`);
    }
    if (tool.description !== undefined && typeof tool.description !== "string") {
      throw new TypeError(`${at}.description must be a string.`);
    }
    const schema =
      tool.parameters === undefined
        ? undefined
        : await prepareSchema(tool.parameters, `${at}.parameters`, { strict: tool.strict });
    const fn: WireObject = { name: tool.name };
    if (tool.description !== undefined) fn.description = tool.description;
    if (schema !== undefined) fn.parameters = schema.jsonSchema;
    if (tool.strict !== undefined) fn.strict = tool.strict;
    const entry: PreparedTool = { tool, definition: { type: "function", function: fn }, schema };
    prepared.set(tool.name, entry);
    cache?.set(tool, entry);
  }
  return prepared;
}
