// node-llama-cpp is an optional peer dependency (S2.2): SDK users never download it, and only the
// llama engine loads it, lazily. When it is missing, the error says in one line how to install it.

import type * as NodeLlamaCppModule from "node-llama-cpp";

/** The module's namespace, typed from the pinned version (a type-only import: nothing loads here). */
export type NodeLlamaCpp = typeof NodeLlamaCppModule;

/** The exact version the engine is built and tested against. */
export const nodeLlamaCppVersion = "3.21.1";

/** The one-line message shown when the package is missing. */
export const missingNodeLlamaCppMessage =
  `The local model engine needs node-llama-cpp, which is not installed: ` +
  `run "npm install --save-exact node-llama-cpp@${nodeLlamaCppVersion}".`;

/** Imports node-llama-cpp through `importModule`; rejects with the one-line install hint when it is absent. */
export async function importNodeLlamaCpp(
  importModule: () => Promise<NodeLlamaCpp> = () => import("node-llama-cpp"),
): Promise<NodeLlamaCpp> {
  try {
    return await importModule();
  } catch (error) {
    if (isModuleNotFound(error)) throw new Error(missingNodeLlamaCppMessage, { cause: error });
    throw error;
  }
}

let loading: Promise<NodeLlamaCpp> | undefined;

/** Imports node-llama-cpp once per process. */
export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  loading ??= importNodeLlamaCpp().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : "";
  return (
    (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && message.includes("node-llama-cpp")
  );
}
