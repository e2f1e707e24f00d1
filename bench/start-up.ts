/**
 * The cost of a start, A against B: scripts/start.mjs (fresh builds) until /readyz answers 200, the two sides
 * alternating, each with its own warmed compile cache. Prints per side the server's CPU time until ready (utime +
 * stime from /proc: the figure least moved by other work on the machine), the wall time and the RSS at ready.
 *
 *   A=<checkout> B=<checkout> node --import tsx bench/start-up.ts
 *   (A and B default to this checkout; A_OPTIONS / B_OPTIONS replace the node options of the checkout's `start`
 *   script, e.g. B_OPTIONS="--max-old-space-size=384 --heap-growing-percent=100" for a start without source maps;
 *   ROUNDS=8)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/free-port.ts';
import { serverEnv, startCommand, waitReady } from './server.ts';

const here = join(import.meta.dirname, '..');
const ROUNDS = Number(process.env.ROUNDS ?? 8);

interface Side {
  name: string;
  root: string;
  options: string[];
  cache: string;
  cpuMs: number[];
  wallMs: number[];
  rssMb: number[];
}

function side(name: 'A' | 'B'): Side {
  const root = process.env[name] ?? here;
  const given = process.env[`${name}_OPTIONS`];
  const options = given === undefined ? startCommand(root).nodeOptions : given.split(/\s+/).filter(Boolean);
  return { name, root, options, cache: mkdtempSync(join(tmpdir(), 'owari-start-up-cache-')), cpuMs: [], wallMs: [], rssMb: [] };
}

const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, clock ticks of 10 ms
};
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function start(s: Side, record: boolean): Promise<void> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'owari-start-up-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, [...s.options, 'scripts/start.mjs'], {
    cwd: s.root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...serverEnv(port, dataDir), LOG_LEVEL: 'warn', NODE_COMPILE_CACHE: s.cache },
  });
  try {
    await waitReady(`http://127.0.0.1:${port}`, child);
    if (record) {
      s.wallMs.push(performance.now() - t0);
      s.cpuMs.push(cpuMs(child.pid!));
      s.rssMb.push(rssMb(child.pid!));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const sides = [side('A'), side('B')];
for (const s of sides) await start(s, false); // fills each side's compile cache
for (let round = 0; round < ROUNDS; round++) {
  for (const s of round % 2 === 0 ? sides : [...sides].reverse()) await start(s, true);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
for (const s of sides) {
  console.log(
    `${s.name} (${s.root}, node ${s.options.join(' ')}): CPU until ready ${median(s.cpuMs)} ms median [${s.cpuMs.join(' ')}], ` +
      `wall ${median(s.wallMs).toFixed(0)} ms, RSS at ready ${median(s.rssMb).toFixed(0)} MB`,
  );
  rmSync(s.cache, { recursive: true, force: true });
}
