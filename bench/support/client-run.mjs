// One contender of bench/client.bench.ts in a fresh process: warm-up calls, then N timed calls at
// concurrency C against the local server, checking every answer. Prints wall time, client CPU and
// peak RSS as JSON. Plain JavaScript (no loader) so that nothing but the contender is measured.
import http from "node:http";
import { Buffer } from "node:buffer";

const [name, port, callsText, concurrencyText, warmupText] = process.argv.slice(2);
const calls = Number(callsText);
const concurrency = Number(concurrencyText);
const warmup = Number(warmupText);
const base = `http://127.0.0.1:${port}`;
const request = { messages: [{ role: "user", content: "How many feet are in a mile?" }], max_tokens: 100 };
const KEY = "bench-key-0123456789";

async function makeCall() {
  switch (name) {
    case "raw fetch": {
      return async () => {
        const res = await globalThis.fetch(`${base}/chat/completions?api-version=2024-05-01-preview`, {
          method: "POST",
          headers: { "content-type": "application/json", "api-key": KEY },
          body: JSON.stringify(request),
        });
        return (await res.json()).choices[0].message.content;
      };
    }
    case "ai-inference":
    case "ai-inference (fetch option)":
    case "ai-inference (tracing loaded, off)":
    case "ai-inference (traced)": {
      const { ChatCompletionsClient, AzureKeyCredential } = await import("ai-inference");
      // Tracing loaded but not enabled: the hook is registered and declines every call.
      if (name.includes("tracing")) await import("ai-inference/tracing");
      if (name === "ai-inference (traced)") {
        // Every call makes a recorded span (the SDK records it; no exporter, so no I/O).
        const { enableTracing } = await import("ai-inference/tracing");
        const { BasicTracerProvider } = await import("@opentelemetry/sdk-trace-base");
        enableTracing({ tracerProvider: new BasicTracerProvider() });
      }
      const options = name === "ai-inference (fetch option)" ? { fetch: globalThis.fetch } : {};
      const client = new ChatCompletionsClient(base, new AzureKeyCredential(KEY), options);
      return async () =>
        (await client.complete({ messages: request.messages, maxTokens: 100 })).choices[0].message.content;
    }
    case "router (1 deployment)":
    case "router (3 deployments)": {
      const { AzureKeyCredential } = await import("ai-inference");
      const { ChatCompletionsRouter } = await import("ai-inference/router");
      const count = name.startsWith("router (3") ? 3 : 1;
      const router = new ChatCompletionsRouter(
        Array.from({ length: count }, (_, i) => ({
          name: `deployment-${i}`,
          endpoint: base,
          credential: new AzureKeyCredential(KEY),
        })),
      );
      return async () =>
        (await router.complete({ messages: request.messages, maxTokens: 100 })).choices[0].message.content;
    }
    case "openai": {
      const { default: OpenAI } = await import("openai");
      const client = new OpenAI({ apiKey: KEY, baseURL: base });
      return async () =>
        (await client.chat.completions.create({ model: "m", messages: request.messages, max_tokens: 100 }))
          .choices[0].message.content;
    }
    case "@azure-rest/ai-inference": {
      const { default: ModelClient } = await import("@azure-rest/ai-inference");
      const { AzureKeyCredential } = await import("@azure/core-auth");
      const client = ModelClient(base, new AzureKeyCredential(KEY), { allowInsecureConnection: true });
      return async () => {
        const res = await client.path("/chat/completions").post({ body: request });
        if (res.status !== "200") throw new Error(`status ${res.status}`);
        return res.body.choices[0].message.content;
      };
    }
    case "raw node:http": {
      const agent = new http.Agent({ keepAlive: true });
      const body = JSON.stringify(request);
      return () =>
        new Promise((resolve, reject) => {
          const req = http.request(
            `${base}/chat/completions?api-version=2024-05-01-preview`,
            { method: "POST", agent, headers: { "content-type": "application/json", "api-key": KEY } },
            (res) => {
              const chunks = [];
              res.on("data", (c) => chunks.push(c));
              res.on("end", () =>
                resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")).choices[0].message.content),
              );
              res.on("error", reject);
            },
          );
          req.on("error", reject);
          req.end(body);
        });
    }
    default:
      throw new Error(`unknown contender ${name}`);
  }
}

async function run(call, count) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const content = await call();
      if (typeof content !== "string" || !content.startsWith("A mile is 5,280 feet."))
        throw new Error(`bad answer: ${content}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

const call = await makeCall();
await run(call, warmup);
const cpuBefore = process.cpuUsage();
const start = process.hrtime.bigint();
await run(call, calls);
const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify({
    wallMs,
    cpuUsPerCall: (cpu.user + cpu.system) / calls,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
process.exit(0);
