/**
 * A/B of two builds, side by side: both servers run at once under the same paced load (50 conversations each,
 * one message per INTERVAL ms each), so both see the same host. Prints each build's CPU time per turn — its
 * event loop's thread alone and the whole process — per round and in total, and B's relative to A's.
 *
 * Why: on a shared VM the host's speed moves by 20–30 % within minutes, so runs one after another (even
 * alternating builds) cannot show a change of a few percent; side by side, two identical builds agree within
 * 1–3 % (run both orders: B / A, then A / B). What it cannot show: effects that come from one server having the CPUs to itself (a background
 * thread taking CPU time from the load generator, say) — for those, alternate `npm run bench:profile` runs.
 *
 *   A=<checkout> B=<checkout> node --import tsx bench/side-by-side.ts
 *   (each checkout built: `node scripts/build-server.mjs` in it; INTERVAL=6 ROUNDS=4 SECONDS=8 REDIS=1 optional;
 *   REDIS=redis://host:port for a Redis other than 127.0.0.1:6379, whose DBs 12 and 13 the two servers use;
 *   TEXTS='はい|はい|…' for what each conversation types in turn instead of はい / restart)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { turnLoadInProcess } from './load-process.ts';
import { removeBenchKeys, serverEnv, startCommand, waitReady } from './server.ts';

const roots = [process.env.A, process.env.B];
if (!roots[0] || !roots[1]) throw new Error('set A and B to two checkouts, each with dist/server built');
const SECONDS = Number(process.env.SECONDS ?? 8);
const INTERVAL = Number(process.env.INTERVAL ?? 6);
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const TEXTS = process.env.TEXTS?.split('|');

interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  dir: string;
  redisUrl: string | undefined;
}

async function start(root: string, redisDb: number): Promise<Server> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const dir = mkdtempSync(join(tmpdir(), 'owari-ab-'));
  const redis = process.env.REDIS;
  const redisUrl = redis ? `${redis.startsWith('redis://') ? redis.replace(/\/\d*$/, '') : 'redis://127.0.0.1:6379'}/${redisDb}` : undefined;
  // The checkout's own `npm start` node options, with its built server (not start.mjs, which would rebuild it).
  const child = spawn(process.execPath, [...startCommand(root).nodeOptions, join(root, 'dist/server/main.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: serverEnv(port, join(dir, 'data'), redisUrl),
  });
  await waitReady(`http://127.0.0.1:${port}`, child);
  return { name: basename(root), child, port, dir, redisUrl };
}

/** CPU time (ms) of the process's first thread (its event loop) and of all its threads. */
function cpuMs(pid: number): { loop: number; all: number } {
  let loop = 0;
  let all = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, clock ticks of 10 ms
      all += ms;
      if (Number(tid) === pid) loop += ms;
    } catch {
      // the thread ended meanwhile
    }
  }
  return { loop, all };
}

const servers: Server[] = [];
const totals = roots.map(() => ({ loop: 0, all: 0, turns: 0 }));
const perTurn = (ms: number, turns: number) => ((ms * 1000) / turns).toFixed(1);
try {
  // Inside the try: when the second fails to start, the first is stopped too.
  servers.push(await start(roots[0], 12));
  servers.push(await start(roots[1], 13));
  for (let round = 0; round < ROUNDS; round++) {
    const before = servers.map((s) => cpuMs(s.child.pid!));
    const runs = await Promise.all(
      servers.map((s) => turnLoadInProcess(`ws://127.0.0.1:${s.port}/`, { conversations: 50, warmupMs: 1000, durationMs: SECONDS * 1000, bot: true, intervalMs: INTERVAL, ...(TEXTS ? { texts: TEXTS } : {}) })),
    );
    const cells = servers.map((s, i) => {
      const after = cpuMs(s.child.pid!);
      // The CPU counters include the warm-up second; so does the count of turns, at the measured rate.
      const turns = runs[i]!.stats.turns * (1 + 1 / SECONDS);
      const loop = after.loop - before[i]!.loop;
      const all = after.all - before[i]!.all;
      Object.assign(totals[i]!, { loop: totals[i]!.loop + loop, all: totals[i]!.all + all, turns: totals[i]!.turns + turns });
      return `${s.name}: event loop ${perTurn(loop, turns)} µs, all threads ${perTurn(all, turns)} µs a turn, p99 ${runs[i]!.stats.p99.toFixed(2)} ms`;
    });
    console.log(`round ${round + 1}  ${cells.join('  |  ')}`);
  }
  const [a, b] = totals as [(typeof totals)[0], (typeof totals)[0]];
  console.log(
    `total    ${servers.map((s, i) => `${s.name}: ${perTurn(totals[i]!.loop, totals[i]!.turns)} / ${perTurn(totals[i]!.all, totals[i]!.turns)} µs`).join('  |  ')}` +
      `\nB / A    event loop ${(b.loop / b.turns / (a.loop / a.turns)).toFixed(3)}, all threads ${(b.all / b.turns / (a.all / a.turns)).toFixed(3)}`,
  );
} finally {
  for (const s of servers) s.child.kill('SIGTERM');
  await Promise.all(servers.map((s) => new Promise((resolve) => (s.child.exitCode !== null ? resolve(undefined) : s.child.once('exit', resolve)))));
  for (const s of servers) rmSync(s.dir, { recursive: true, force: true });
  for (const s of servers) if (s.redisUrl) await removeBenchKeys(s.redisUrl);
}
