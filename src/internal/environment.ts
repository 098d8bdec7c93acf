// The environment variables the helpers read (`${env:}` in Prompty files, the tracing switch for
// content recording): one type, and one reader of `process.env` that works where there is none.

/** Environment variables by name, as `process.env` holds them. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** `process.env` where the runtime has one (Node.js, Deno, Bun), else `undefined` (browsers, workers). */
export function processEnvironment(): EnvironmentVariables | undefined {
  return (globalThis as { process?: { env?: EnvironmentVariables } }).process?.env;
}
