// `serve` as a real child process receiving real signals (issue 10, S1.9): shutdown always ends,
// stalled uploads and idle keep-alive connections included; a second signal exits at once; a
// client that leaves a stream is one quiet 499 log line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { once } from "node:events";
import { startServeProcess } from "../support/run-cli.js";
import { tinyModelPath } from "../support/tiny-model.js";

// The tiny model that never ends an answer by itself: a stream is still running when the test acts.
const endlessModel = () => tinyModelPath({ eosBias: -1000 });

async function startServe(args: string[]) {
  return startServeProcess(["--model-file", await endlessModel(), "--port", "0", ...args]);
}

async function openConnection(url: string, text: string) {
  const { port } = new URL(url);
  const socket = connect(Number(port), "127.0.0.1");
  await once(socket, "connect");
  let received = "";
  socket.setEncoding("utf8").on("data", (chunk: string) => (received += chunk));
  socket.on("error", () => undefined);
  // Resolves however the socket ends (a reset too: once() would reject on the "error" event).
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.write(text);
  return { closed, received: () => received, write: (more: string) => socket.write(more) };
}

/**
 * A POST whose body stalls half-way, certainly in flight on the server: its headers ask for
 * `100 Continue`, which Node's server sends only once it has parsed them and dispatched the request.
 * (Without that proof, a signal could come first, the connection would count as idle, and the
 * shutdown would end at once.)
 */
async function openStalledUpload(url: string) {
  const upload = await openConnection(
    url,
    "POST /chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
      "Content-Length: 100\r\nExpect: 100-continue\r\n\r\n",
  );
  while (!upload.received().includes("100 Continue")) await new Promise((r) => setTimeout(r, 10));
  upload.write('{"messa');
  return upload;
}

test("issue 10 S1.9 SIGTERM: after the deadline a stalled upload and an idle keep-alive are dropped and serve exits 0", async () => {
  const serve = await startServe(["--shutdown-deadline", "0.5"]);
  const upload = await openStalledUpload(serve.url);
  const idle = await openConnection(serve.url, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  while (!idle.received().includes('"ok"')) await new Promise((r) => setTimeout(r, 10));
  serve.child.kill("SIGTERM");
  assert.equal(await serve.exited, 0);
  await Promise.all([upload.closed, idle.closed]);
  assert.match(serve.stderr(), /SIGTERM: shutting down/);
  assert.match(serve.stderr(), /POST \/chat\/completions 503 /, "the stalled upload ended with the shutdown");
  assert.doesNotMatch(serve.stderr(), /Internal error|\n\s+at /);
});

test("issue 10 S1.9 a second signal exits at once, whatever is still running", async () => {
  const serve = await startServe(["--shutdown-deadline", "600"]);
  // A stalled upload keeps the shutdown waiting for the whole deadline, whatever the machine's pace.
  const upload = await openStalledUpload(serve.url);
  serve.child.kill("SIGTERM");
  while (!/SIGTERM: shutting down/.test(serve.stderr())) await new Promise((r) => setTimeout(r, 10));
  serve.child.kill("SIGINT");
  assert.equal(await serve.exited, 130, `128 + SIGINT; stderr: ${serve.stderr()}`);
  assert.match(serve.stderr(), /SIGINT: stopping at once/);
  await upload.closed;
});

test("issue 10 S1.8 a client leaving mid-stream is one log line, 499 with the tokens so far, and nothing else", async () => {
  const serve = await startServe([]);
  const controller = new AbortController();
  const response = await fetch(`${serve.url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "go" }], max_tokens: 1900, stream: true }),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  await reader.read();
  await reader.read();
  controller.abort();
  while (!/POST \/chat\/completions 499/.test(serve.stderr())) await new Promise((r) => setTimeout(r, 10));
  serve.child.kill("SIGTERM");
  assert.equal(await serve.exited, 0);
  const lines = serve.stderr().trim().split("\n");
  assert.deepEqual(
    lines.map((line) => line.replace(/\d+ms tokens \d+\/\d+/, "MS tokens N/N")),
    ["POST /chat/completions 499 MS tokens N/N", "SIGTERM: shutting down (again to stop at once)"],
  );
  assert.match(lines[0], /tokens \d+\/[1-9]\d*$/, "some tokens were generated");
});
