import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

/** An HTTP server on a loopback address with an ephemeral port, recording what it received. */
export interface LocalTestServer {
  readonly port: number;
  /** Requests received, as `METHOD /path`, with their headers and body. */
  readonly requests: Array<{ line: string; headers: http.IncomingHttpHeaders; body: string }>;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Starts a server whose routes are looked up by path (without query); unknown paths answer 404. */
export async function startLocalTestServer(
  routes: Record<string, RouteHandler>,
  { host = '127.0.0.1', tls }: { host?: '127.0.0.1' | '::1'; tls?: { key: string; cert: string } } = {},
): Promise<LocalTestServer> {
  const requests: LocalTestServer['requests'] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const listener: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '/').split('?')[0];
      requests.push({ line: `${req.method} ${req.url}`, headers: req.headers, body });
      const handler = routes[path];
      if (handler) handler(req, res, body);
      else res.writeHead(404).end('no such route');
    });
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  // For TLS servers 'connection' is the raw TCP socket, counted the same way.
  server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    connections: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
