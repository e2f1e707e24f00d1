/** The server as a child process, as `npm start` runs it (node --import tsx src/main.ts), on a port picked here. */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../support/free-port.ts';

export { freePort };

export interface Child {
  process: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnServer(env: Record<string, string>, preload: string[] = []): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', ...preload.flatMap((p) => ['--import', p]), 'src/main.ts'], {
    cwd: process.cwd(),
    // Only what we choose: no REDIS_URL or secrets from the developer's environment. SESSION_SECRET='' keeps a .env from supplying one.
    env: { PATH: process.env.PATH, NODE_ENV: 'test', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SESSION_SECRET: '', REDIS_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { process: child, output: () => output, exited };
}

/** Starts the server and resolves once it listens. */
export async function startChild(env: Record<string, string>, preload: string[] = []): Promise<Child> {
  const child = spawnServer(env, preload);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${child.output()}`)), 60_000);
    const check = () => {
      if (child.output().includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.process.stdout!.on('data', check);
    void child.exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${child.output()}`));
    });
  });
  return child;
}

/** Polls until `predicate` holds. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
