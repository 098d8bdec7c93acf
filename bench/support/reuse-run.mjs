// One contender of bench/connection-reuse.bench.ts in a fresh process (NODE_EXTRA_CA_CERTS trusts the
// server's self-signed certificate, for undici and Node's fetch alike): N sequential streamed calls,
// each read to its end and checked, timed as a whole. Prints the wall time as JSON. Plain
// JavaScript (no loader), so that nothing but the contender is measured.
const [name, port, callsText, chunksText] = process.argv.slice(2);
const calls = Number(callsText);
const chunks = Number(chunksText);
const base = `https://127.0.0.1:${port}`;
const messages = [{ role: "user", content: "Say ten words." }];
const KEY = "bench-key-0123456789";
const expected = Array.from({ length: chunks }, (_, i) => (i === 0 ? "" : `word${i} `)).join("");

async function makeCall() {
  switch (name) {
    case "ai-inference":
    case "ai-inference (fetch option)": {
      const { ChatCompletionsClient, AzureKeyCredential } = await import("ai-inference");
      const options = name === "ai-inference" ? {} : { fetch: globalThis.fetch };
      const client = new ChatCompletionsClient(base, new AzureKeyCredential(KEY), options);
      return async () => {
        const stream = await client.complete({ messages, stream: true });
        let count = 0;
        let content = "";
        for await (const update of stream) {
          count++;
          content += update.choices[0]?.delta?.content ?? "";
        }
        return { count, content };
      };
    }
    case "openai": {
      const { default: OpenAI } = await import("openai");
      const client = new OpenAI({ apiKey: KEY, baseURL: base, maxRetries: 0 });
      return async () => {
        const stream = await client.chat.completions.create({ model: "m", messages, stream: true });
        let count = 0;
        let content = "";
        for await (const chunk of stream) {
          count++;
          content += chunk.choices[0]?.delta?.content ?? "";
        }
        return { count, content };
      };
    }
    default:
      throw new Error(`unknown contender ${name}`);
  }
}

const call = await makeCall();
const start = process.hrtime.bigint();
for (let i = 0; i < calls; i++) {
  const { count, content } = await call();
  if (count !== chunks || content !== expected) {
    throw new Error(`${name}: call ${i} gave ${count} chunks, ${JSON.stringify(content)}`);
  }
}
const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
console.log(JSON.stringify({ wallMs }));
process.exit(0);
