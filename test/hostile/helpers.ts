/** Shared by the hostile-input tests: clients that can pose as any IP (TRUST_PROXY) and a victim at question 3. */
import { DatabaseSync as Database } from '../../src/storage/sqlite-db.mjs';
import { join } from 'node:path';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { assertProtocol, assertProtocolReplies, SESSION_ID } from '../support/protocol.ts';

let nextIp = 1;
/** A fresh documentation-range address per attacker, so per-IP limits never mix cases. */
export const freshIp = () => `198.51.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}`;

export interface Posted {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function post(url: string, body: unknown, options: { ip?: string; headers?: Record<string, string> } = {}): Promise<Posted> {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': options.ip ?? freshIp(), ...options.headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A websocket client that validates every frame it receives against protocol.md. */
export class Client {
  readonly frames: any[] = [];
  closed?: { code: number; reason: string };
  private wake: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      expect(isBinary, 'the bot sends text frames only').toBe(false);
      const frame = JSON.parse(data.toString());
      assertProtocol(frame);
      this.frames.push(frame);
      for (const w of this.wake.splice(0)) w();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const w of this.wake.splice(0)) w();
    });
    ws.on('error', () => undefined);
  }

  static open(wsUrl: string, options: { ip?: string; headers?: Record<string, string> } = {}): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { headers: { 'x-forwarded-for': options.ip ?? freshIp(), ...options.headers } });
      const client = new Client(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  send(frame: unknown) {
    this.ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? (frame as string) : JSON.stringify(frame));
  }

  /** Waits until `count` frames have arrived in total (or the socket closes). */
  async waitFor(count: number, timeoutMs = 5000): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length < count && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} frames, got ${this.frames.length}: ${JSON.stringify(this.frames).slice(-500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames;
  }

  /** Sends a frame; resolves with every frame up to and including the next message or error. */
  async ask(frame: unknown, timeoutMs = 5000): Promise<any[]> {
    const start = this.frames.length;
    this.send(frame);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.frames.slice(start);
      const end = got.findIndex((f) => f.type === 'message' || f.type === 'error');
      if (end >= 0) return got.slice(0, end + 1);
      if (this.closed) throw new Error(`socket closed ${this.closed.code} before a reply`);
      await this.waitFor(this.frames.length + 1, deadline - Date.now());
    }
  }

  /** The last message or error of ask(). */
  async reply(frame: unknown): Promise<any> {
    return (await this.ask(frame)).at(-1);
  }

  /** Resolves when the server has closed the socket. */
  async whenClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket not closed');
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.closed;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

/** The stored step of a conversation, read straight from the SQLite file (a second connection; WAL). */
export function storedRecord(dataDir: string, id: string): { step: string; lang: string; reference: string } | undefined {
  const db = new Database(join(dataDir, 'conversations.db'), { readOnly: true });
  try {
    const row = db.prepare('SELECT record FROM conversations WHERE id = ?').get(id) as { record: string } | undefined;
    return row ? JSON.parse(row.record) : undefined;
  } finally {
    db.close();
  }
}

export interface Victim {
  id: string;
  socket: Client;
  /** Frames the victim's socket had received when it reached question 3. */
  seen: number;
}

/** A customer on a websocket who answered はい, はい and now sees question 3 (uses_owari_address). */
export async function victimAtQuestion3(wsUrl: string): Promise<Victim> {
  const socket = await Client.open(wsUrl);
  const hello = await socket.ask({ type: 'hello', user: 'victim-guid', channel: 'socket' });
  expect(hello[0].type).toBe('session');
  expect(hello[0].user).toMatch(SESSION_ID);
  await socket.reply({ type: 'message', text: 'yes' });
  const q3 = await socket.reply({ type: 'message', text: 'はい' });
  expect(q3.state).toBe('uses_owari_address');
  return { id: hello[0].user, socket, seen: socket.frames.length };
}

/**
 * The victim is untouched: server healthy, nothing arrived on the victim's socket during the attack,
 * its stored step is still question 3, and its next answer gets the right reply.
 */
export async function expectVictimUnharmed(server: { url: string; dataDir: string }, victim: Victim): Promise<void> {
  const health = await fetch(`${server.url}/healthz`);
  expect(health.status).toBe(200);
  expect(victim.socket.closed, 'victim socket still open').toBeUndefined();
  expect(victim.socket.frames.slice(victim.seen), 'no frame reached the victim during the attack').toEqual([]);
  expect(storedRecord(server.dataDir, victim.id)?.step).toBe('uses_owari_address');
  const verdict = await victim.socket.reply({ type: 'message', text: 'はい' });
  expect(verdict).toMatchObject({ type: 'message', state: 'change_required_owari', outcome: 'change-required-owari' });
  await victim.socket.close();
}

export { assertProtocolReplies };
