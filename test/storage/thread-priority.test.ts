/**
 * Background threads yield the CPU to the chat: the staff transcript writer lowers its own priority (Linux),
 * and only its own — the event loop's thread keeps the priority it had.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteTranscripts } from '../../src/staff/storage/sqlite.ts';
import { BACKGROUND_NICE } from '../../src/storage/thread-priority.mjs';

const linux = existsSync('/proc/thread-self');
const dir = mkdtempSync(join(tmpdir(), 'owari-priority-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each thread of this process and its nice value (field 19 of /proc/<pid>/task/<tid>/stat). */
function niceByThread(): Map<number, number> {
  const threads = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      threads.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

describe.skipIf(!linux)('background thread priority', () => {
  it('the transcript writer thread runs at BACKGROUND_NICE; the event loop’s thread is left as it was', async () => {
    const before = niceByThread();
    const mainThread = process.pid;
    const store = openSqliteTranscripts(dir);
    try {
      await store.append({ conversationId: 'c1', reference: 'OW-PRIO-01', lang: 'ja', at: 1, from: 'a', to: 'b', understood: 'answer', reply: 'はい' });
      const after = niceByThread();
      const lowered = [...after].filter(([tid, nice]) => !before.has(tid) && nice === BACKGROUND_NICE);
      expect(lowered).toHaveLength(1);
      expect(after.get(mainThread)).toBe(before.get(mainThread));
      expect(BACKGROUND_NICE).toBeGreaterThan(before.get(mainThread)!);
    } finally {
      await store.close();
    }
  });

  it('never raises a thread’s priority: one already nicer than BACKGROUND_NICE stays as it was', async () => {
    const module = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'storage', 'thread-priority.mjs')).href;
    const worker = new Worker(
      `import { parentPort } from 'node:worker_threads';
       import { readlinkSync } from 'node:fs';
       import { setPriority } from 'node:os';
       import { lowerThreadPriority } from ${JSON.stringify(module)};
       setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), ${BACKGROUND_NICE + 5});
       parentPort.postMessage(lowerThreadPriority());
       await new Promise((resolve) => parentPort.once('message', resolve));`,
      { eval: true, type: 'module' } as ConstructorParameters<typeof Worker>[1],
    );
    try {
      const tid = await new Promise<number>((resolve) => worker.once('message', resolve));
      expect(niceByThread().get(tid)).toBe(BACKGROUND_NICE + 5);
    } finally {
      worker.postMessage('done');
      await worker.terminate();
    }
  });
});
