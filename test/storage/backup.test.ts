/**
 * `npm run backup -- <dir>` while the server runs and conversations are being written through the webhook: the copy
 * is consistent, and a server started on it (DATA_DIR=<dir>) resumes a conversation from it.
 */
import { DatabaseSync, pragma } from '../../src/storage/sqlite-db.mjs';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { conversationSteps } from '../../src/storage/sqlite.ts';
import { transcriptSteps } from '../../src/staff/storage/sqlite.ts';
import { sqliteVersion } from '../../src/storage/migrations.ts';
import { postMessage, startTestServer } from '../support/server.ts';
import { eventually, staffGet, TOKEN } from '../staff/helpers.ts';

const run = promisify(execFile);
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'owari-backup-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `npm run backup -- <target>` as an operator runs it, against DATA_DIR. */
const backup = (dataDir: string, target: string) =>
  run('npm', ['run', '-s', 'backup', '--', target], { env: { ...process.env, DATA_DIR: dataDir, REDIS_URL: '', SESSION_SECRET: '' }, cwd: process.cwd() });

describe('npm run backup', () => {
  it('copies DATA_DIR consistently during traffic; a server on the copy resumes a conversation', async () => {
    const live = tempDir();
    const server = await startTestServer({ DATA_DIR: live, STAFF_TOKEN: TOKEN, RATE_LIMIT_CONVERSATIONS: '100000', RATE_LIMIT_MESSAGES: '100000' });
    const target = join(tempDir(), 'copy');
    let conversations = 0;
    let stop = false;
    let user = '';
    try {
      // A conversation before the backup, at question 3.
      const hello = await postMessage(server.url, { type: 'hello', lang: 'ja' });
      user = hello.json.find((m: { type: string }) => m.type === 'session').user as string;
      await postMessage(server.url, { type: 'message', user, text: 'はい' });
      const atQ3 = await postMessage(server.url, { type: 'message', user, text: 'はい' });
      expect(atQ3.json.at(-1).state).toBe('uses_owari_address');

      // Traffic: customers talking through the webhook the whole time the backup runs.
      const traffic = Array.from({ length: 4 }, async () => {
        while (!stop) {
          const h = await postMessage(server.url, { type: 'hello', lang: 'ja' });
          const u = h.json.find((m: { type: string }) => m.type === 'session').user;
          for (const text of ['はい', 'はい', 'はい', 'Windows', 'Thunderbird']) await postMessage(server.url, { type: 'message', user: u, text });
          conversations++;
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = conversations;
      const { stdout } = await backup(live, target);
      const during = conversations - before;
      stop = true;
      await Promise.all(traffic);
      expect(stdout).toContain('conversations.db');
      expect(stdout).toContain('session-secret');
      expect(during).toBeGreaterThan(0); // conversations were being written while the backup ran

      // Every file is there, complete and consistent, at the current schema version.
      for (const f of ['conversations.db', 'staff.db', 'session-secret']) expect(existsSync(join(target, f)), f).toBe(true);
      expect(existsSync(join(target, 'conversations.db.partial'))).toBe(false);
      expect(readFileSync(join(target, 'session-secret'), 'utf8')).toBe(readFileSync(join(live, 'session-secret'), 'utf8'));
      for (const [f, steps] of [['conversations.db', conversationSteps], ['staff.db', transcriptSteps]] as const) {
        const db = new DatabaseSync(join(target, f), { readOnly: true });
        expect(pragma(db, 'integrity_check'), f).toBe('ok');
        expect(sqliteVersion(db), f).toBe(steps.length);
        db.close();
      }
      // A second backup into the same place is refused rather than overwriting it.
      await expect(backup(live, target)).rejects.toMatchObject({ stderr: expect.stringMatching(/already holds/) });
    } finally {
      stop = true;
      await server.close();
    }

    // Restore: a server started on the copy. The conversation from before carries on at question 3, same id.
    rmSync(live, { recursive: true, force: true });
    const restored = await startTestServer({ DATA_DIR: target, STAFF_TOKEN: TOKEN });
    try {
      const hello = await postMessage(restored.url, { type: 'hello', lang: 'ja' });
      expect(hello.status).toBe(200);
      const resumed = await postMessage(restored.url, { type: 'welcome_back', user });
      expect(resumed.json.map((m: { type: string }) => m.type)).not.toContain('session');
      expect(resumed.json.at(-1).state).toBe('uses_owari_address');
      const verdict = await postMessage(restored.url, { type: 'message', user, text: 'はい' });
      expect(verdict.json.map((m: { outcome?: string }) => m.outcome)).toContain('change-required-owari');
      const reference = /OW-[A-Z0-9]{4}-\d{2}/.exec(verdict.json.map((m: { text?: string }) => m.text ?? '').join('\n'))![0];
      // Its transcript came along too: start and two answers from the backup, then the resume and the answer here.
      const inputs = await eventually(
        async () => ((await (await staffGet(restored.url, `/staff/api/conversations/${reference}`)).json()) as { turns: { input?: string }[] }).turns.map((t) => t.input),
        (list) => list.length >= 5,
      );
      expect(inputs).toEqual([undefined, 'はい', 'はい', undefined, 'はい']);
    } finally {
      await restored.close();
    }
  }, 60_000);
});
