/**
 * The load generator as a process of its own, one per measured run (bench/run.ts): each run's client starts with
 * a fresh heap, so no run inherits the state of the runs before it (in one process, the last echo run came after
 * 20,000 sockets opened and closed), and echo and bot are loaded by identical clients.
 *
 * Protocol (IPC, child_process.fork): the parent sends one request; the child answers one message and, for
 * `open`, keeps its sockets until the parent sends 'close'.
 *   { kind: 'turns', url, options, server? }  →  { stats, waitPct, serverWaitPct }   (the share of the run that this
 *       process, and the server process `server` (a pid), waited for a CPU)
 *   { kind: 'open', url, count }     →  { opened }
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openConversations, turnLoad, type TurnStats } from './load.ts';

type TurnOptions = Parameters<typeof turnLoad>[1];
type Request = { kind: 'turns'; url: string; options: TurnOptions; server?: number } | { kind: 'open'; url: string; count: number };
export interface TurnRun {
  stats: TurnStats;
  waitPct: number;
  serverWaitPct?: number;
}

/** How long this process has waited, runnable, for a CPU (ms; /proc/self/schedstat). */
export function runQueueWaitMs(pid: number | 'self'): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
}

function start(request: Request): { child: ChildProcess; answer: Promise<unknown> } {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const answer = new Promise<unknown>((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code} before answering`)));
  });
  child.send(request);
  return { child, answer };
}

/** turnLoad in a fresh process; `server`: the pid whose waiting for a CPU is measured over the same run. */
export async function turnLoadInProcess(url: string, options: TurnOptions, server?: number): Promise<TurnRun> {
  const { answer } = start({ kind: 'turns', url, options, ...(server ? { server } : {}) });
  return (await answer) as TurnRun;
}

/** openConversations in a fresh process; close() ends it (and with it every socket). */
export async function openConversationsInProcess(url: string, count: number): Promise<{ close(): Promise<void> }> {
  const { child, answer } = start({ kind: 'open', url, count });
  await answer;
  return {
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('close');
      }),
  };
}

async function serve(request: Request): Promise<void> {
  if (request.kind === 'turns') {
    const { server } = request;
    const wait0 = runQueueWaitMs('self');
    const serverWait0 = server ? runQueueWaitMs(server) : 0;
    const t0 = performance.now();
    const stats = await turnLoad(request.url, request.options);
    const pct = (waitedMs: number) => (waitedMs / (performance.now() - t0)) * 100;
    const run: TurnRun = { stats, waitPct: pct(runQueueWaitMs('self') - wait0), ...(server ? { serverWaitPct: pct(runQueueWaitMs(server) - serverWait0) } : {}) };
    process.send!(run, () => process.exit(0));
    return;
  }
  const open = await openConversations(request.url, request.count);
  process.on('message', () => {
    open.close();
    process.exit(0);
  });
  process.send!({ opened: open.sockets.length });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  process.once('message', (request: Request) => {
    serve(request).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
}
