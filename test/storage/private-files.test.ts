/**
 * DATA_DIR holds conversation ids (30-day bearer tokens), transcripts and the session secret: the directory is
 * 0700 and every file in it 0600 — the SQLite databases with their -wal and -shm files, the staff database and
 * the generated secret — whatever the umask, and an existing directory of ours that others could read is narrowed.
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir } from '../../src/storage/private-files.ts';
import { removeDataDir, startTestServer, TestSocket, tempDataDir } from '../support/server.ts';
import { newSecret } from '../support/webhook-receiver.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('DATA_DIR is private', () => {
  let previousUmask: number;
  beforeEach(() => {
    // The most permissive umask: modes must come from the code, not from the environment.
    previousUmask = process.umask(0);
  });
  afterEach(() => {
    process.umask(previousUmask);
  });

  it('a new DATA_DIR is 0700 and the databases, their -wal/-shm files and the session secret are 0600', async () => {
    const parent = tempDataDir();
    const dataDir = join(parent, 'data');
    // A handoff webhook, so the handoff deliveries' database exists too (nothing listens there; nothing is sent).
    const server = await startTestServer({ DATA_DIR: dataDir, SESSION_SECRET: '', HANDOFF_WEBHOOK_URL: 'http://127.0.0.1:9/hook', HANDOFF_WEBHOOK_SECRET: newSecret() });
    try {
      const socket = await TestSocket.open(server.wsUrl);
      await socket.ask({ type: 'hello' });
      await socket.ask({ type: 'message', text: 'はい' });
      socket.ws.close();
      const files = readdirSync(dataDir);
      for (const expected of ['conversations.db', 'conversations.db-wal', 'conversations.db-shm', 'staff.db', 'handoffs.db', 'session-secret']) {
        expect(files, expected).toContain(expected);
      }
      expect(mode(dataDir).toString(8)).toBe('700');
      for (const file of files) expect(mode(join(dataDir, file)).toString(8), file).toBe('600');
    } finally {
      await server.close();
      removeDataDir(parent);
    }
  });

  it('an existing DATA_DIR and files of ours that others can read are narrowed at start', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ DATA_DIR: dataDir, SESSION_SECRET: '' });
    await first.close();
    chmodSync(dataDir, 0o755);
    for (const file of readdirSync(dataDir)) chmodSync(join(dataDir, file), 0o644);
    const second = await startTestServer({ DATA_DIR: dataDir, SESSION_SECRET: '' });
    try {
      expect(mode(dataDir).toString(8)).toBe('700');
      for (const file of readdirSync(dataDir)) expect(mode(join(dataDir, file)).toString(8), file).toBe('600');
    } finally {
      await second.close();
      removeDataDir(dataDir);
    }
  });

  it('ensurePrivateDir creates nested directories as 0700 and reports nothing for a private one', () => {
    const parent = tempDataDir();
    try {
      const dir = join(parent, 'a', 'b');
      expect(ensurePrivateDir(dir)).toBeNull();
      expect(mode(dir).toString(8)).toBe('700');
      mkdirSync(join(parent, 'open'), { mode: 0o777 });
      expect(ensurePrivateDir(join(parent, 'open'))).toBeNull();
      expect(mode(join(parent, 'open')).toString(8)).toBe('700');
    } finally {
      removeDataDir(parent);
    }
  });
});
