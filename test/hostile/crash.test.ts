/**
 * kill -9 in the middle of a burst of turns, then a restart on the same DATA_DIR: every conversation
 * resumes at its last completed step (the last one its client saw acknowledged, or the one in flight
 * if it was stored before the kill) — nothing lost, nothing half-written.
 */
import { join } from 'node:path';
import { DatabaseSync as Database, pragma } from '../../src/storage/sqlite-db.mjs';
import { afterAll, describe, expect, it } from 'vitest';
import { removeDataDir, tempDataDir } from '../support/server.ts';
import { startChild as start, freePort, type Child } from './child.ts';
import { Client } from './helpers.ts';

/** The owari path and back round again: six distinct steps, so a lost turn can never look like the one in flight. */
const ANSWER: Record<string, [text: string, next: string]> = {
  uses_mail_software: ['はい', 'connects_via_owari'],
  connects_via_owari: ['はい', 'uses_owari_address'],
  uses_owari_address: ['はい', 'change_required_owari'],
  change_required_owari: ['windows', 'choose_client_windows'],
  choose_client_windows: ['thunderbird', 'settings'],
  settings: ['restart', 'uses_mail_software'],
};

const children: Child[] = [];
const dataDir = tempDataDir();
afterAll(() => {
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  removeDataDir(dataDir);
});

async function startChild(port: number): Promise<Child> {
  const child = await start({
    PORT: String(port),
    DATA_DIR: dataDir,
    SESSION_SECRET: 's'.repeat(40),
    RATE_LIMIT_MESSAGES: '100000',
    RATE_LIMIT_CONVERSATIONS: '100000',
    MAX_SOCKETS_PER_IP: '1000',
    MAX_CONNECTIONS_PER_IP: '1000',
  });
  children.push(child);
  return child;
}

interface Walker {
  id: string;
  /** States the client saw, in order; the last is the last completed step. */
  acked: string[];
  /** The step a turn in flight at the kill would have stored. */
  inflight?: string;
}

describe('kill -9 during a burst of turns', () => {
  it('every conversation resumes at its last completed step', async () => {
    const port = await freePort();
    const wsUrl = `ws://127.0.0.1:${port}/`;
    const first = await startChild(port);

    const walkers: Walker[] = [];
    let killed = false;
    /** Set when the burst has run long enough: the next walker to send a turn kills the server right after. */
    let killNow: (() => void) | undefined;
    const walk = async () => {
      const socket = await Client.open(wsUrl);
      const hello = await socket.ask({ type: 'hello' });
      const walker: Walker = { id: hello[0].user, acked: [hello.at(-1).state] };
      walkers.push(walker);
      try {
        while (!killed) {
          const [text, next] = ANSWER[walker.acked.at(-1)!]!;
          walker.inflight = next;
          const asking = socket.ask({ type: 'message', text });
          // Killed just after a turn went out, not at a moment chosen by this (possibly starved) test process,
          // when every reply may already be sitting in the client's socket buffers.
          killNow?.();
          const reply = (await asking).at(-1);
          expect(reply.state).toBe(next);
          walker.acked.push(reply.state);
          walker.inflight = undefined;
        }
      } catch (error) {
        if (!killed) throw error; // after the kill, the socket closing mid-turn is expected
      }
    };
    const walking = Array.from({ length: 30 }, walk);
    // Let the burst run (every conversation started, a few hundred turns), then kill without warning while turns are in flight.
    const started = Date.now();
    while (walkers.length < 30 || walkers.reduce((n, w) => n + w.acked.length - 1, 0) < 300) {
      if (Date.now() - started > 30_000) throw new Error('the burst did not get going');
      await new Promise((r) => setTimeout(r, 20));
    }
    await new Promise((r) => setTimeout(r, Math.random() * 200));
    await new Promise<void>((resolve) => {
      killNow = () => {
        killNow = undefined;
        killed = true;
        first.process.kill('SIGKILL');
        resolve();
      };
    });
    await Promise.all(walking);
    expect((await first.exited).signal).toBe('SIGKILL');

    const turns = walkers.reduce((n, w) => n + w.acked.length - 1, 0);
    expect(walkers).toHaveLength(30);
    expect(turns, 'the burst ran long enough to matter').toBeGreaterThan(100);
    expect(walkers.filter((w) => w.inflight).length, 'turns were in flight at the kill').toBeGreaterThan(0);

    // Nothing half-written: the file is intact and every stored record is whole JSON at a real step.
    const db = new Database(join(dataDir, 'conversations.db'));
    expect(pragma(db, 'integrity_check')).toBe('ok');
    const rows = db.prepare('SELECT id, record FROM conversations').all() as { id: string; record: string }[];
    db.close();
    expect(rows).toHaveLength(30);
    for (const row of rows) expect(Object.keys(ANSWER)).toContain(JSON.parse(row.record).step);

    const second = await startChild(port);
    let inflightStored = 0;
    for (const walker of walkers) {
      const socket = await Client.open(wsUrl);
      const resumed = await socket.ask({ type: 'welcome_back', user: walker.id });
      expect(resumed.some((f) => f.type === 'session'), 'resumed, not restarted').toBe(false);
      const at = resumed.at(-1).state;
      const allowed = [walker.acked.at(-1), ...(walker.inflight ? [walker.inflight] : [])];
      expect(allowed, `conversation with ${walker.acked.length - 1} acknowledged turns`).toContain(at);
      if (at !== walker.acked.at(-1)) inflightStored++;
      // And it carries on from there.
      const [text, next] = ANSWER[at]!;
      expect((await socket.ask({ type: 'message', text })).at(-1).state).toBe(next);
      await socket.close();
    }
    expect(inflightStored).toBeLessThanOrEqual(walkers.filter((w) => w.inflight).length);
    second.process.kill('SIGTERM');
    expect((await second.exited).code, 'a SIGTERM stops gracefully').toBe(0);
  }, 120_000);
});
