// An HTTP proxy on loopback for P2.7 tests: it answers CONNECT by tunnelling to `target` (a loopback
// server) whatever host the client asked for, and records the hosts asked, so a test can send to
// `http://any.example` and see the request arrive on its own server.
import http from "node:http";
import net from "node:net";
import type { TestContext } from "node:test";

export interface ConnectProxy {
  readonly url: string;
  /** The `host:port` of each CONNECT received. */
  readonly connects: string[];
}

export async function useConnectProxy(t: TestContext, targetPort: number): Promise<ConnectProxy> {
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => {
    res.writeHead(405).end("this test proxy only tunnels (CONNECT)");
  });
  server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push(req.url ?? "");
    const upstream = net.connect(targetPort, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, connects };
}
