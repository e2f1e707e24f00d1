/**
 * Whole server processes for the scale tests: the built bundle dist/server/main.js (test/setup builds it), as
 * `npm start` runs it, so kill -9 and SIGTERM hit a real process with real signal handlers, and the bundle's
 * rewritten Botkit (scripts/native-async.mjs) carries real conversations.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/redis.ts';

export const SECRET = 'scale-test-secret-'.padEnd(48, 'z');

export interface Instance {
  url: string;
  wsUrl: string;
  child: ChildProcess;
  stderr: string[];
  /** The log (pino writes to stdout). */
  stdout: string[];
  dataDir: string;
  /** Resolves with the exit code (or signal) once the process has gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readyz(): Promise<number>;
  healthz(): Promise<number>;
  kill(signal: NodeJS.Signals): void;
  /** SIGKILL if still running, and remove the data directory (unless it was given to startInstance). */
  destroy(): Promise<void>;
}

export async function startInstance(
  env: Record<string, string> = {},
  options: { readyTimeoutMs?: number; waitReady?: boolean; /** Kept by the caller: a restart on the same data. */ dataDir?: string } = {},
): Promise<Instance> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'owari-scale-'));
  const child = spawn(process.execPath, ['dist/server/main.js'], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SESSION_SECRET: SECRET,
      RATE_LIMIT_MESSAGES: '10000',
      RATE_LIMIT_CONVERSATIONS: '10000',
      MAX_SOCKETS_PER_IP: '10000',
      MAX_CONNECTIONS_PER_IP: '10000',
      ...env,
    },
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const stdout: string[] = [];
  child.stdout!.on('data', (d: Buffer) => stdout.push(d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const status = async (path: string) => {
    try {
      return (await fetch(`${url}${path}`)).status;
    } catch {
      return 0;
    }
  };
  const instance: Instance = {
    url,
    wsUrl: `ws://127.0.0.1:${port}/`,
    child,
    stderr,
    stdout,
    dataDir,
    exited,
    readyz: () => status('/readyz'),
    healthz: () => status('/healthz'),
    kill: (signal) => child.kill(signal),
    async destroy() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  if (options.waitReady === false) return instance;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 45_000);
  while ((await instance.readyz()) !== 200) {
    if (child.exitCode !== null) throw new Error(`instance exited with ${child.exitCode}: ${stderr.join('')}`);
    if (Date.now() > deadline) {
      await instance.destroy();
      throw new Error(`instance not ready: ${stderr.join('')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return instance;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
