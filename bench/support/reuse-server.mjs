// The connection-reuse benchmark's server (issue 9): HTTPS on 127.0.0.1 in its own process, with the
// key and certificate of the PEM files in argv[2] and argv[3]. Every POST …/chat/completions is
// answered with 10 chunks and `data: [DONE]`, then the body ends 50 ms later (argv[4]), as servers
// that flush [DONE] before closing their side of the stream do. A plain-HTTP control port reports
// how many TLS connections were opened (GET /connections). Prints both ports; exits when stdin
// closes.
import http from "node:http";
import https from "node:https";
import { readFileSync } from "node:fs";
import { setTimeout } from "node:timers";

const [keyFile, certFile, gapText] = process.argv.slice(2);
const gapMs = Number(gapText ?? 50);
const CHUNKS = 10;
const events = [];
for (let i = 0; i < CHUNKS; i++) {
  const delta = i === 0 ? { role: "assistant", content: "" } : { content: `word${i} ` };
  events.push(
    `data: ${JSON.stringify({
      id: "chatcmpl-reuse",
      object: "chat.completion.chunk",
      created: 1736389146,
      model: "bench-model",
      choices: [{ index: 0, delta, finish_reason: i === CHUNKS - 1 ? "stop" : null }],
    })}\n\n`,
  );
}
events.push("data: [DONE]\n\n");
const body = events.join("");

let connections = 0;
const server = https.createServer(
  { key: readFileSync(keyFile), cert: readFileSync(certFile) },
  (req, res) => {
    req.resume();
    req.on("end", () => {
      if (req.method !== "POST" || !req.url.includes("/chat/completions")) {
        res.writeHead(404, { "content-type": "text/plain" }).end("NOT FOUND");
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(body);
      setTimeout(() => res.end(), gapMs);
    });
  },
);
server.on("secureConnection", () => connections++);
// Long enough that clients built on undici (which keep a connection only when the announced
// keep-alive timeout exceeds their 2 s margin) keep it between calls.
server.keepAliveTimeout = 30_000;

// Connection: close, so that the orchestrator, which blocks in spawnSync during a run, never tries
// a kept connection the control server has meanwhile closed.
const control = http.createServer((req, res) => {
  res
    .writeHead(200, { "content-type": "application/json", connection: "close" })
    .end(JSON.stringify({ connections }));
});

server.listen({ port: 0, host: "127.0.0.1" }, () => {
  control.listen({ port: 0, host: "127.0.0.1" }, () => {
    console.log(
      JSON.stringify({ port: server.address().port, control: control.address().port, chunks: CHUNKS }),
    );
  });
});
process.stdin.on("close", () => {
  server.closeAllConnections();
  server.close();
  control.close(() => process.exit(0));
});
process.stdin.resume();
