/**
 * Profiles the turn path: starts the server as `npm start` does (the built bundle) under `node --cpu-prof`,
 * drives 50 conversations (はい / restart) for BENCH_SECONDS, stops it, and prints the server's CPU time per
 * turn and where the time went (self time per function, and per package). CPU time per turn is the figure
 * to compare: unlike turns/s it hardly moves when other work shares the machine.
 *
 *   npm run bench:profile            (REDIS=1 for the Redis engine)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { turnLoad } from './load.ts';
import { removeBenchKeys, serverEnv, startCommand, waitReady } from './server.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const port = 20000 + Math.floor(Math.random() * 20000);
const dir = mkdtempSync(join(tmpdir(), 'owari-prof-'));

export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
}

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** `skipMs`: samples in the first skipMs of the profile (start-up) are left out, so the figures are the turns'. */
function summarize(file: string, skipMs: number, turns: number, top = 40): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const pkg = new Map<string, number>();
  let clock = 0;
  let busy = 0;
  p.samples.forEach((id, i) => {
    const t = p.timeDeltas[i] ?? 0;
    clock += t;
    if (clock < skipMs * 1000) return;
    if (byId.get(id)!.callFrame.functionName !== '(idle)') busy += t;
    const n = byId.get(id)!;
    const k = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(`file://${root}/`, '')}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      const m = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(f.functionName) ?? /node_modules\/((@[^/]+\/)?[^/]+)/.exec(f.url);
      const key = m?.[1];
      if (key && !seen.has(key)) {
        seen.add(key);
        pkg.set(key, (pkg.get(key) ?? 0) + t);
      }
    }
  });
  const rows = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, t]) => `${(t / 1000).toFixed(1).padStart(9)} ms  ${k}`);
  // The event loop's own busy time (not GC helper threads or worker threads): what bounds turns/s.
  return [`main thread busy ≈ ${(busy / turns).toFixed(0)} µs per turn (warm-up and shutdown included)`, '', 'self time:', ...rows(self), '', 'inclusive, by package:', ...rows(pkg)].join('\n');
}

const redisUrl = process.env.REDIS ? (process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15') : undefined;
// npm start's node options, then any in NODE_FLAGS (V8 takes the last of a repeated flag).
const args = [...startCommand(root).nodeOptions, ...(process.env.NODE_FLAGS ?? '').split(' ').filter(Boolean), '--cpu-prof', `--cpu-prof-dir=${dir}`, join(root, 'dist/server/main.js')];
const spawnedAt = performance.now();
const child = spawn(process.execPath, args, {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: serverEnv(port, join(dir, 'data'), redisUrl),
});
await waitReady(`http://127.0.0.1:${port}`, child);
const before = cpuMs(child.pid!);
const loadStartsAfterMs = performance.now() - spawnedAt;
const stats = await turnLoad(`ws://127.0.0.1:${port}/`, { conversations: 50, warmupMs: 1000, durationMs: SECONDS * 1000, bot: true });
const used = cpuMs(child.pid!) - before;
const exited = new Promise((resolve) => child.once('exit', resolve));
child.kill('SIGTERM');
await exited;
if (redisUrl) await removeBenchKeys(redisUrl);
// Every turn of the run, warm-up included, counts against the CPU used (the client counts measured turns only).
console.log(`turns/s ${stats.turnsPerSecond.toFixed(0)}, p50 ${stats.p50.toFixed(2)} ms, p99 ${stats.p99.toFixed(2)} ms, errors ${stats.errors}`);
console.log(`server CPU ≈ ${((used / (stats.turns * (1 + 1 / SECONDS))) * 1000).toFixed(0)} µs per turn (${used.toFixed(0)} ms over ≈${Math.round(stats.turns * (1 + 1 / SECONDS))} turns)\n`);
const profile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
if (profile) {
  console.log(`(samples of the first ${Math.round(loadStartsAfterMs)} ms, start-up, left out)`);
  console.log(summarize(join(dir, profile), loadStartsAfterMs, stats.turns * (1 + 1 / SECONDS)));
  console.log(`\nprofile: ${join(dir, profile)} (open in Chrome DevTools › Performance)`);
} else rmSync(dir, { recursive: true, force: true });
