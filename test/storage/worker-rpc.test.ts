/**
 * Worker threads behind src/storage/worker-rpc.ts and worker-loop.mjs (the transcript writers): calls are
 * answered in order, an operation may answer later with a promise, and close() waits for the thread's own
 * close — which may be asynchronous — and then ends the thread, even when a library left a timer running
 * (ioredis closed while reconnecting did: shutdown waited 2 s for it).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorkerRpc } from '../../src/storage/worker-rpc.ts';

const dir = mkdtempSync(join(tmpdir(), 'owari-worker-rpc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const loop = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'storage', 'worker-loop.mjs')).href;

/** A worker script: `echo` answers at once, `later` after `ms`; close() records itself and leaves a 60 s timer. */
const script = join(dir, 'worker.mjs');
writeFileSync(
  script,
  `import { workerData } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import { serve } from ${JSON.stringify(loop)};
serve(
  {
    echo: (m) => m.value,
    later: (m) => new Promise((resolve) => setTimeout(() => resolve(m.value), m.ms)),
    fail: () => { throw new Error('refused'); },
  },
  async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    writeFileSync(workerData.closedFile, 'closed');
    setTimeout(() => writeFileSync(workerData.closedFile, 'the leftover timer ran'), 60_000);
  },
);
`,
);

describe('a worker thread behind worker-rpc', () => {
  it('answers every call, a later answer does not hold up the next ones, and failures reject', async () => {
    const rpc = startWorkerRpc(script, { closedFile: join(dir, 'closed-1') });
    try {
      const slow = rpc.call<string>({ op: 'later', value: 'slow', ms: 200 });
      const fast = await rpc.call<string>({ op: 'echo', value: 'fast' });
      expect(fast).toBe('fast');
      expect(await slow).toBe('slow');
      await expect(rpc.call({ op: 'fail' })).rejects.toThrow('refused');
      await expect(rpc.call({ op: 'nothing' })).rejects.toThrow('unknown operation nothing');
    } finally {
      await rpc.close();
    }
  });

  it('close() runs the thread’s asynchronous close, then ends the thread although a timer is left', async () => {
    const closedFile = join(dir, 'closed-2');
    const rpc = startWorkerRpc(script, { closedFile });
    expect(await rpc.call<number>({ op: 'echo', value: 1 })).toBe(1);
    const started = performance.now();
    await rpc.close();
    // The leftover timer would keep the thread (and close()) for 60 s, beyond this test's time limit.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(readFileSync(closedFile, 'utf8')).toBe('closed');
  });
});
