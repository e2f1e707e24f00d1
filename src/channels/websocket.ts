/** The WebSocket transport on `/` (protocol.md): origin check, socket quota, bounded frames, one conversation per socket. */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../log.ts';
import type { ErrorCode } from '../conversation/wire.ts';
import type { Gateway, Binding } from './gateway.ts';
import type { Limits } from './limits.ts';
import type { OriginPolicy } from './origins.ts';
import { getOrCreate } from '../support/get-or-create.ts';
import { isRememberedRendering } from '../conversation/render.ts';
import { createPassQueue } from './pass-queue.ts';

export const MAX_FRAME_BYTES = 16 * 1024;
/** A client that sends but never reads its replies is cut off before they pile up in our memory. */
const MAX_UNREAD_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 30_000;

/**
 * A reply as the bytes of its text frame. Most replies are a step's question as the renderer remembers it, one
 * message object shared by every conversation at that step (render.ts), so their bytes are made once. WeakMap: a
 * reply no one holds any more takes its bytes with it.
 */
const frames = new WeakMap<object, Buffer>();
function frameOf(reply: object): Buffer | string {
  return isRememberedRendering(reply) ? getOrCreate(frames, reply, () => Buffer.from(JSON.stringify(reply))) : JSON.stringify(reply);
}

export interface SocketChannel {
  /** Number of open sockets. */
  readonly size: number;
  /** Resolves once no frame is waiting for its turn or being handled on any socket (replies written). */
  idle(): Promise<void>;
  /** Closes every socket with `code` (1001 when going away) and stops accepting. */
  close(code?: number, reason?: string): Promise<void>;
}

function refuse(socket: Duplex, status: number, text: string) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function attachWebSocket(
  server: Server,
  deps: {
    gateway: Gateway;
    limits: Limits;
    isAllowedOrigin: OriginPolicy;
    ipOf: (req: IncomingMessage) => string;
    log: Logger;
    /** Told of refusals that are not error objects: a frame too long (1009), a socket over the per-IP quota (429). */
    onRefusal?: (code: ErrorCode) => void;
  },
): SocketChannel {
  const { gateway, limits, log } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();
  let accepting = true;
  // Frames are handled together once per pass of the event loop (pass-queue.ts).
  const pass = createPassQueue((err) => log.error({ err }, 'websocket frame failed'));
  /** Frames received and not yet handled to the end; idle() waits for none. */
  let framesInFlight = 0;
  let whenIdle: (() => void)[] = [];
  const frameDone = () => {
    if (--framesInFlight > 0) return;
    const waiting = whenIdle;
    whenIdle = [];
    for (const resolve of waiting) resolve();
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!accepting) return refuse(socket, 503, 'Service Unavailable');
    if (path !== '/') return refuse(socket, 404, 'Not Found');
    if (!deps.isAllowedOrigin(req.headers.origin, req.headers.host)) return refuse(socket, 403, 'Forbidden');
    const ip = deps.ipOf(req);
    const release = limits.acquireSocket(ip);
    if (!release) {
      deps.onRefusal?.('rate_limited');
      return refuse(socket, 429, 'Too Many Requests');
    }
    // Released when the TCP socket closes, so a handshake ws refuses (and never calls back for) frees its slot too.
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.once('close', release);
      serve(ws, ip);
    });
  });

  function serve(ws: WebSocket, ip: string) {
    alive.add(ws);
    const binding: Binding = { lang: 'ja' };
    // Frames of one socket are handled in arrival order, so `hello` then `message` never races.
    let chain: Promise<void> = Promise.resolve();
    ws.on('pong', () => alive.add(ws));
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') deps.onRefusal?.('too_long');
      log.debug({ err }, 'websocket error');
    });
    // Frames over MAX_FRAME_BYTES never get here: ws closes that socket with 1009 (Message Too Big).
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      framesInFlight++;
      pass.add(() => {
        chain = chain.then(async () => {
          // A frame that arrived before a close still runs its turn (stored; a resume shows it).
          try {
            const replies = await gateway.receive(text, binding, { ip });
            for (const reply of replies) if (ws.readyState === ws.OPEN) ws.send(frameOf(reply), { binary: false });
            if (ws.bufferedAmount > MAX_UNREAD_BYTES) ws.terminate();
          } catch (err) {
            // gateway.receive never rejects; if that promise is ever broken, this socket goes, the process stays.
            log.error({ err }, 'websocket frame failed');
            ws.close(1011, 'internal error');
          } finally {
            frameDone();
          }
        });
      });
    });
  }

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    get size() {
      return wss.clients.size;
    },
    idle() {
      return framesInFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => whenIdle.push(resolve));
    },
    async close(code = 1001, reason = 'server shutting down') {
      accepting = false;
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(code, reason);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
