// P3.3: scans everything a user could print for secrets.
import assert from "node:assert/strict";
import { inspect } from "node:util";

/** Asserts that no rendering of `value` (message, stack, toString, inspect, JSON) contains a secret. */
export function assertNoSecrets(value: unknown, secrets: readonly string[]): void {
  const renderings = [
    inspect(value, { depth: 20, showHidden: true, getters: true }),
    inspect(value, { depth: 20 }),
    String(value),
    safeJson(value),
  ];
  if (value instanceof Error) renderings.push(value.message, value.stack ?? "");
  for (const secret of secrets) {
    for (const text of renderings)
      assert.ok(!text.includes(secret), `a secret leaked into: ${text.slice(0, 2000)}`);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}
