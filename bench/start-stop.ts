/**
 * `npm start` started and stopped (SIGTERM) again and again: the time from spawning npm to /readyz answering 200
 * (median, 90th percentile, worst), and every run whose server did not exit 0 (a native crash shows as a
 * signal or a non-zero code). The builds must be fresh first (`npm run build`), as after `npm ci`.
 *
 *   node --import tsx bench/start-stop.ts   (RUNS=40 optional; exits 1 if any run failed)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/support/free-port.ts';
import { serverEnv, waitReady } from './server.ts';

const RUNS = Number(process.env.RUNS ?? 40);
const root = join(import.meta.dirname, '..');
const ready: number[] = [];
const failures: string[] = [];

for (let i = 0; i < RUNS; i++) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'owari-start-stop-'));
  const t0 = performance.now();
  const npm = spawn('npm', ['start', '--silent'], { cwd: root, env: serverEnv(port, dataDir), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  npm.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => npm.once('exit', (code, signal) => resolve({ code, signal })));
  try {
    await waitReady(`http://127.0.0.1:${port}`, npm);
    ready.push(performance.now() - t0);
    npm.kill('SIGTERM');
    const end = await Promise.race([exited, sleep(15_000).then(() => ({ code: null, signal: 'timeout' }))]);
    if (end.code !== 0) failures.push(`run ${i + 1}: exit ${JSON.stringify(end)} ${stderr.trim().slice(-500)}`);
  } catch (error) {
    failures.push(`run ${i + 1}: ${(error as Error).message} ${stderr.trim().slice(-500)}`);
    npm.kill('SIGKILL');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

ready.sort((a, b) => a - b);
const at = (q: number) => (ready[Math.min(ready.length - 1, Math.floor(q * ready.length))]! / 1000).toFixed(2);
console.log(`${process.version}: ${RUNS} runs, ready in ${at(0.5)} s median, ${at(0.9)} s p90, ${at(1)} s worst; ${failures.length} failed`);
for (const f of failures) console.log(f);
if (failures.length > 0) process.exitCode = 1;
