/**
 * The HTTP server's bounds on connections, so that no client holds more than its share: a total
 * (server.maxConnections), a number per client address, and timeouts that cut off a request whose headers or
 * body arrive too slowly (a body trickled a byte at a time would otherwise hold its connection for 300 s).
 *
 * The per-address count is taken when the TCP connection opens, before any header is read, so it counts the
 * peer's address. Behind a trusted proxy (TRUST_PROXY) every connection comes from the proxy: the count is then
 * left to the proxy (e.g. nginx `limit_conn`), and websockets are still counted per client (channels/limits.ts).
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpTimeouts {
  /** The whole request head must have arrived within this. */
  headersTimeoutMs: number;
  /** The whole request, body included, must have arrived within this. */
  requestTimeoutMs: number;
  /** How often the server looks for requests past those timeouts. */
  checkIntervalMs: number;
}

export const HTTP_TIMEOUTS: HttpTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 20_000, checkIntervalMs: 2_000 };

export interface ConnectionLimits {
  maxConnections: number;
  /** Open connections per peer address; undefined: not counted (behind a trusted proxy). */
  maxPerAddress?: number;
}

export function createBoundedServer(app: RequestListener, limits: ConnectionLimits, timeouts: HttpTimeouts = HTTP_TIMEOUTS): Server {
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    app,
  );
  server.maxConnections = limits.maxConnections;
  if (limits.maxPerAddress !== undefined) limitPerAddress(server, limits.maxPerAddress);
  return server;
}

function limitPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      // Cut before a byte is read: the cheapest answer to a client that already holds its share.
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
