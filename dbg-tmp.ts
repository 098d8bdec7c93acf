import { setTimeout as delay } from "node:timers/promises";
import { ChatCompletionsClient } from "./src/index.js";
import { startLoopbackServerWith } from "./test/support/loopback-server.js";
const server = await startLoopbackServerWith({ keepAliveTimeoutMs: 10000 }, async (req, _r, res) => {
  console.log("request on port", res.socket?.remotePort);
  res.socket?.once("close", () => console.log("closed", res.socket?.remotePort));
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.write('data: {"choices":[]}\n\n');
  res.write("data: [DONE]\n\n");
  await delay(0);
  // stall
});
const client = new ChatCompletionsClient(server.url, null, {});
for (let i = 0; i < 3; i++) {
  const stream = await client.complete({ messages: [{ role: "user", content: "hi" }], stream: true });
  for await (const u of stream) {}
  console.log("done", i, server.connections);
}
await delay(200);
console.log("connections", server.connections);
await server.close();
