// The tracing subpath as users get it: `ai-inference/tracing` and `ai-inference` are two bundles
// that meet only through the clients' registry, and the SDK entry never loads @opentelemetry/api.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { useLoopbackServer } from "../../support/loopback-server.js";
import { recordSpans } from "../../support/spans.js";

const dist = new URL("../../../dist/", import.meta.url).pathname;

test("OT18 the built subpath traces clients of the built SDK entry (two bundles, one registry)", async (t) => {
  const server = await useLoopbackServer(t, {
    body: {
      id: "c",
      model: "m",
      choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "ok" } }],
    },
  });
  const { ChatCompletionsClient } = await import("ai-inference");
  const { enableTracing, disableTracing } = await import("ai-inference/tracing");
  const spans = recordSpans();
  enableTracing({ tracerProvider: spans.provider });
  t.after(() => disableTracing());
  await new ChatCompletionsClient(server.url, null).complete({ messages: [{ role: "user", content: "hi" }] });
  assert.equal(spans.only().attributes["gen_ai.response.id"], "c");
});

test("OT18 the SDK entry and its platform leaves never import @opentelemetry/api; the subpath does", () => {
  const files = [
    "index.js",
    ...readdirSync(join(dist, "platform"))
      .filter((f) => f.endsWith(".js"))
      .map((f) => `platform/${f}`),
  ];
  for (const file of files) {
    assert.doesNotMatch(readFileSync(join(dist, file), "utf8"), /from\s*["']@opentelemetry\//, file);
  }
  assert.match(readFileSync(join(dist, "tracing.js"), "utf8"), /from\s*["']@opentelemetry\/api["']/);
  const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8"));
  assert.equal(pkg.peerDependenciesMeta["@opentelemetry/api"].optional, true, "an optional peer dependency");
  assert.match(pkg.devDependencies["@opentelemetry/api"], /^\d+\.\d+\.\d+$/, "pinned exactly for the tests");
});
