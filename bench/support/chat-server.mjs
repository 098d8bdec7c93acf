// The benchmark's local server (perf-anchors.md §3): node:http on 127.0.0.1 in its own process. It
// reads and parses each request, then answers POST …/chat/completions with a fixed ~1 KB
// ChatCompletions JSON. Prints its port on stdout; exits when stdin closes.
import http from "node:http";
import { Buffer } from "node:buffer";

const reply = JSON.stringify({
  id: "chatcmpl-AbCdEfGhIjKlMnOpQrStUvWxYz012",
  object: "chat.completion",
  created: 1736389070,
  model: "gpt-4o-2024-08-06",
  system_fingerprint: "fp_5f20662549",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content:
          "A mile is 5,280 feet. The figure goes back to the English statute mile of 1593, which set the mile at " +
          "eight furlongs of 660 feet each; the survey foot used in the United States until 2022 differs from the " +
          "international foot by two parts per million, which matters only over long distances. So, for everyday use: " +
          "5,280 feet, or 1,760 yards, or about 1.609 kilometres.",
        refusal: null,
      },
      logprobs: null,
      finish_reason: "stop",
    },
  ],
  usage: {
    prompt_tokens: 14,
    completion_tokens: 96,
    total_tokens: 110,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  },
});

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (req.method !== "POST" || !req.url.includes("/chat/completions")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("NOT FOUND");
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(reply) });
    res.end(reply);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () =>
  console.log(JSON.stringify({ port: server.address().port, bytes: reply.length })),
);
process.stdin.on("close", () => server.close(() => process.exit(0)));
process.stdin.resume();
