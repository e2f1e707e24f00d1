/** Starts the real server on a free port with its own data directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../../src/server.ts';

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'owari-test-'));
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: Omit<Parameters<typeof startServer>[0] & {}, 'env'> = {},
): Promise<RunningServer & { dataDir: string; wsUrl: string }> {
  const dataDir = env.DATA_DIR ?? tempDataDir();
  const server = await startServer({ ...options, env: { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...env } });
  return Object.assign(server, { dataDir, wsUrl: `ws://127.0.0.1:${server.port}/` });
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function postMessage(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** A websocket client that collects every frame and waits for the ones it needs. */
export class TestSocket {
  readonly received: any[] = [];
  private waiters: (() => void)[] = [];
  closed?: { code: number; reason: string };

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      // protocol.md: every frame is JSON text; a binary frame is recorded as what it is, so no test passes on it.
      this.received.push(isBinary ? { type: 'binary frame' } : JSON.parse(data.toString()));
      for (const wake of this.waiters.splice(0)) wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  static open(url: string, headers: Record<string, string> = {}, options: WebSocket.ClientOptions = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { ...options, headers });
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits until `count` more frames than `from` have arrived (default: one bot message after the last). */
  async next(predicate: (frame: any) => boolean = (f) => f.type === 'message' || f.type === 'error', timeoutMs = 5000): Promise<any> {
    const start = this.received.length;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(start).find(predicate);
      if (found) return found;
      if (this.closed) throw new Error(`socket closed ${this.closed.code}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.received.slice(start))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a frame and returns the next bot message or error. */
  async ask(frame: unknown): Promise<any> {
    const reply = this.next();
    this.send(frame);
    return reply;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
