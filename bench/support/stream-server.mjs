// The streaming benchmark's local server (quality.md Q4, "1,000 concurrent streams"): node:http on
// 127.0.0.1 in its own process. Every POST …/chat/completions is answered with text/event-stream
// headers at once; the events start only when a whole wave has arrived (the client sends the wave's
// size in `x-bench-wave`), so that every stream of the wave is open at the same time. Then one event
// goes to every stream of the wave per tick. The events are read from a file of SSE bytes (argv[2]),
// cut at the blank lines. Prints its port on stdout; exits when stdin closes.
import http from "node:http";
import { Buffer } from "node:buffer";
import { readFileSync } from "node:fs";
import { clearInterval, setInterval } from "node:timers";

const [file, tickText] = process.argv.slice(2);
const tickMs = Number(tickText ?? 5);
const text = readFileSync(file, "utf8");
const events = text.split(/(?<=\n\n)/).map((event) => Buffer.from(event, "utf8"));

let pending = [];

function play(wave) {
  let next = 0;
  const timer = setInterval(() => {
    const event = events[next++];
    for (const res of wave) if (!res.destroyed) res.write(event);
    if (next === events.length) {
      clearInterval(timer);
      for (const res of wave) res.end();
    }
  }, tickMs);
}

const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    if (req.method !== "POST" || !req.url.includes("/chat/completions")) {
      res.writeHead(404, { "content-type": "text/plain" }).end("NOT FOUND");
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    pending.push(res);
    if (pending.length >= Number(req.headers["x-bench-wave"] ?? 1)) {
      const wave = pending;
      pending = [];
      play(wave);
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, () =>
  console.log(JSON.stringify({ port: server.address().port, events: events.length })),
);
process.stdin.on("close", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
process.stdin.resume();
