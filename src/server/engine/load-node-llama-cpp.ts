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

/**
 * The Deno permissions node-llama-cpp needs: the model file, its environment and the CPU's facts,
 * its native addon, and the probe of its binary that it spawns.
 */
export const denoPermissions = "--allow-read --allow-env --allow-ffi --allow-sys --allow-run";

/**
 * Deno refuses node-llama-cpp's accesses one permission at a time (`NotCapable`); this names them
 * all in one line, with Deno's own words, the refusal as its cause. Other errors are returned as is.
 */
export function explainDenoRefusal(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== "NotCapable") return error;
  const said = error.message.split("\n")[0];
  return new Error(`The local model engine needs these Deno permissions: ${denoPermissions} (${said}).`, {
    cause: error,
  });
}

interface DenoGlobal {
  permissions?: { querySync?(descriptor: { name: string; command?: string }): { state: string } };
  execPath?(): string;
}

/**
 * Under Deno, fails in one line when the engine lacks a permission that cannot be asked for later:
 * node-llama-cpp would stop at the first one, and Deno's refusal to spawn its binary's probe escapes
 * as an uncaught error that ends the process. Reads are left to `explainDenoRefusal` (a grant for
 * some paths may be enough). Elsewhere it does nothing.
 */
export function checkDenoPermissions(deno = (globalThis as { Deno?: DenoGlobal }).Deno): void {
  const querySync = deno?.permissions?.querySync?.bind(deno.permissions);
  if (querySync === undefined) return;
  const needed = [
    { name: "env" },
    { name: "sys" },
    { name: "ffi" },
    { name: "run", command: deno?.execPath?.() },
  ];
  const missing = needed.filter((descriptor) => querySync(descriptor).state !== "granted");
  if (missing.length === 0) return;
  throw new Error(
    `The local model engine needs these Deno permissions: ${denoPermissions} ` +
      `(missing: ${missing.map(({ name }) => `--allow-${name}`).join(" ")}).`,
  );
}

/** Imports node-llama-cpp through `importModule`; rejects with the one-line install hint when it is absent. */
export async function importNodeLlamaCpp(
  importModule: () => Promise<NodeLlamaCpp> = () => import("node-llama-cpp"),
): Promise<NodeLlamaCpp> {
  try {
    return await importModule();
  } catch (error) {
    if (isModuleNotFound(error)) throw new Error(missingNodeLlamaCppMessage, { cause: error });
    throw explainDenoRefusal(error);
  }
}

let loading: Promise<NodeLlamaCpp> | undefined;

/** Imports node-llama-cpp once per process. */
export function loadNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  loading ??= Promise.resolve()
    .then(() => checkDenoPermissions())
    .then(() => importNodeLlamaCpp())
    .catch((error: unknown) => {
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
