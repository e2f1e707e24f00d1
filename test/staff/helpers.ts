/** Staff tests: the real server on a free port, its own data directory, a conversation driver. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../src/server.ts';

export const TOKEN = 'staff-token-0123456789abcdef';
export const USER = 'support';
export const PASSWORD = 'correct horse battery';
export const bearer = { authorization: `Bearer ${TOKEN}` };
export const basic = (user = USER, password = PASSWORD) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

export type TestServer = RunningServer & { dataDir: string; stop(): Promise<void> };

export async function startStaffServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'owari-staff-'));
  const server = await startServer({
    env: { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', DATA_DIR: dataDir, STAFF_TOKEN: TOKEN, STAFF_USER: USER, STAFF_PASSWORD: PASSWORD, RATE_LIMIT_CONVERSATIONS: '1000', RATE_LIMIT_MESSAGES: '1000', ...env },
  });
  return Object.assign(server, {
    dataDir,
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export interface Said {
  type: string;
  text?: string;
  user?: string;
  outcome?: string;
  state?: string;
}

/** One customer over the webhook: hello, then messages; returns every reply and the conversation's reference. */
export class Customer {
  user?: string;
  replies: Said[][] = [];
  constructor(readonly url: string, readonly lang: 'ja' | 'en' = 'ja') {}

  private async post(body: unknown): Promise<Said[]> {
    const res = await fetch(`${this.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as Said[];
    this.replies.push(json);
    return json;
  }

  async hello(): Promise<Said[]> {
    const r = await this.post({ type: 'hello', lang: this.lang });
    this.user = r.find((m) => m.type === 'session')!.user;
    return r;
  }

  async say(...texts: string[]): Promise<Said[]> {
    let last: Said[] = [];
    for (const text of texts) last = await this.post({ type: 'message', user: this.user, text });
    return last;
  }

  /** The reference number the bot told the customer (on a verdict or handoff). */
  get reference(): string | undefined {
    const all = this.replies.flat().map((m) => m.text ?? '').join('\n');
    return /OW-[A-Z0-9]{4}-\d{2}/.exec(all)?.[0];
  }
}

export async function staffGet(url: string, path: string, headers: Record<string, string> = bearer): Promise<Response> {
  return fetch(`${url}${path}`, { headers, redirect: 'manual' });
}

/** Transcript writes are queued behind the reply; poll until `check` holds. */
export async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (check(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}
