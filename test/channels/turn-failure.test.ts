/**
 * An exception inside a turn (simulated in the pure turn function) on the real server: it is logged
 * at error level naming the conversation's reference (never its id, never the text), the customer
 * gets an `internal` error in their language, the conversation stays where it was, the server stays up.
 * Also: no log line at info level or above carries what a customer typed.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { removeDataDir, startTestServer } from '../support/server.ts';
import { isJapanese } from '../support/protocol.ts';
import { Client, post, storedRecord } from '../hostile/helpers.ts';

const logs = vi.hoisted(() => [] as Record<string, any>[]);

vi.mock('../../src/log.ts', async () => {
  const pino = (await import('pino')).default;
  return {
    createLogger: (level: string) =>
      pino(
        { level },
        new Writable({
          write(chunk, _encoding, done) {
            for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
            done();
          },
        }),
      ),
  };
});

vi.mock('../../src/conversation/turn.ts', async (importOriginal) => {
  const turn = await importOriginal<typeof import('../../src/conversation/turn.ts')>();
  return {
    ...turn,
    takeTurn: (...args: Parameters<typeof turn.takeTurn>) => {
      if (args[2].includes('TRIGGER-BUG')) throw new TypeError('simulated bug in a turn');
      return turn.takeTurn(...args);
    },
  };
});

const SECRET_TEXT = 'TRIGGER-BUG my password is hunter2 and I live at 1-2-3 Owari';
let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  // No SESSION_SECRET: development generates one (and warns). LOG_LEVEL info: what production logs.
  server = await startTestServer({ LOG_LEVEL: 'info', SESSION_SECRET: '' });
});
afterAll(async () => {
  await server.close();
  removeDataDir(server.dataDir);
});

describe('an exception in a turn', () => {
  it('is answered with internal (Japanese), logged with the reference, and the conversation carries on from where it was', async () => {
    const socket = await Client.open(server.wsUrl);
    const [session] = await socket.ask({ type: 'hello' });
    await socket.reply({ type: 'message', text: 'はい' });
    await socket.reply({ type: 'message', text: 'はい' });
    const reference = storedRecord(server.dataDir, session.user)!.reference;
    expect(reference).toMatch(/^OW-/);

    const error = await socket.reply({ type: 'message', text: SECRET_TEXT });
    expect(error).toMatchObject({ type: 'error', code: 'internal' });
    expect(isJapanese(error.text)).toBe(true);
    expect(socket.closed).toBeUndefined();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(storedRecord(server.dataDir, session.user)?.step).toBe('uses_owari_address');
    expect(await socket.reply({ type: 'message', text: 'はい' })).toMatchObject({ outcome: 'change-required-owari' });
    await socket.close();

    const failure = logs.find((l) => l.msg === 'turn failed' && l.conversation === reference);
    expect(failure, JSON.stringify(logs.slice(-5))).toBeDefined();
    expect(failure!.level).toBe(50);
    expect(failure!.err?.message).toBe('simulated bug in a turn');
    expect(JSON.stringify(logs)).not.toContain(session.user);
    expect(JSON.stringify(logs)).not.toContain(session.user.split('.')[0].slice(0, 8));
  });

  it('in an English conversation (webhook), the error is in English', async () => {
    const [session] = (await post(server.url, { type: 'hello', lang: 'en' })).json;
    const res = await post(server.url, { type: 'message', user: session.user, text: 'TRIGGER-BUG' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual([expect.objectContaining({ type: 'error', code: 'internal' })]);
    expect(isJapanese(res.json[0].text)).toBe(false);
    expect(storedRecord(server.dataDir, session.user)?.step).toBe('uses_mail_software');
  });

  it('no log line at info level or above contains what a customer typed', () => {
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs.filter((l) => l.level >= 30)) {
      const text = JSON.stringify(line);
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('1-2-3 Owari');
    }
  });
});

describe('SESSION_SECRET in development', () => {
  it('is generated once into DATA_DIR (owner-only) with a warning', () => {
    const file = join(server.dataDir, 'session-secret');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(logs.some((l) => l.level === 40 && /SESSION_SECRET is not set/.test(l.msg))).toBe(true);
  });
});
