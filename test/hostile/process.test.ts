/**
 * The process as `npm start` runs it: refuses to start in production without SESSION_SECRET; survives
 * an unhandled rejection (logged); on an uncaught exception logs it and stops gracefully (sockets get
 * 1001, exit code 1) for the supervisor to restart.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { removeDataDir, tempDataDir } from '../support/server.ts';
import { freePort, spawnServer, startChild, type Child } from './child.ts';
import { Client } from './helpers.ts';

const FAULT = './test/hostile/fixtures/fault-on-signal.mjs';
const children: Child[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const child of children) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  for (const dir of dirs) removeDataDir(dir);
});
const dataDir = () => {
  const dir = tempDataDir();
  dirs.push(dir);
  return dir;
};

describe('SESSION_SECRET', () => {
  it('NODE_ENV=production without it: refuses to start, with a message that says what to set', async () => {
    for (const secret of ['', 'too-short']) {
      const child = spawnServer({ NODE_ENV: 'production', PORT: String(await freePort()), DATA_DIR: dataDir(), SESSION_SECRET: secret });
      children.push(child);
      const { code } = await child.exited;
      expect(code).toBe(1);
      expect(child.output()).toMatch(/SESSION_SECRET/);
      expect(child.output()).not.toMatch(/listening on/);
      expect(child.output(), 'a clear message, not a stack trace').not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});

describe('start-up failures', () => {
  it('a missing certificate file, a port in use: exit 1 with a message naming the problem, not a stack trace', async () => {
    const cert = spawnServer({ PORT: String(await freePort()), DATA_DIR: dataDir(), PROFILE_SIGN_CERT: '/nonexistent/profile.crt', PROFILE_SIGN_KEY: '/nonexistent/profile.key' });
    children.push(cert);
    expect((await cert.exited).code).toBe(1);
    // One pino JSON line (the quotes in its message escaped).
    expect(cert.output()).toMatch(/PROFILE_SIGN_CERT: cannot read \\?"\/nonexistent\/profile\.crt\\?" \(ENOENT\)/);
    expect(cert.output()).not.toMatch(/\n\s+at /);

    const port = await freePort();
    const first = await startChild({ PORT: String(port), DATA_DIR: dataDir() });
    children.push(first);
    const second = spawnServer({ PORT: String(port), DATA_DIR: dataDir() });
    children.push(second);
    expect((await second.exited).code).toBe(1);
    expect(second.output()).toMatch(/the port is already in use.*set PORT to a free one/);
    expect(second.output()).not.toMatch(/\n\s+at /);
    first.process.kill('SIGTERM');
    await first.exited;
  }, 60_000);
});

describe('process-level faults', () => {
  it('an unhandled rejection is logged and the server carries on', async () => {
    const port = await freePort();
    const child = await startChild({ PORT: String(port), DATA_DIR: dataDir(), FAULT: 'reject' }, [FAULT]);
    children.push(child);
    const socket = await Client.open(`ws://127.0.0.1:${port}/`);
    await socket.ask({ type: 'hello' });
    child.process.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 500));
    expect(child.process.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect((await socket.reply({ type: 'message', text: 'はい' })).state).toBe('connects_via_owari');
    await socket.close();
    child.process.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
    // The logger writes in 4 KiB batches (src/log.ts); the graceful stop flushed it.
    expect(child.output()).toMatch(/unhandled promise rejection/);
    expect(child.output()).toMatch(/simulated unhandled rejection/);
  }, 90_000);

  it('an uncaught exception is logged, then the server stops gracefully (1001 to sockets) with exit code 1', async () => {
    const port = await freePort();
    const child = await startChild({ PORT: String(port), DATA_DIR: dataDir(), FAULT: 'throw' }, [FAULT]);
    children.push(child);
    const socket = await Client.open(`ws://127.0.0.1:${port}/`);
    await socket.ask({ type: 'hello' });
    child.process.kill('SIGUSR2');
    expect((await socket.whenClosed(15_000)).code).toBe(1001);
    const { code } = await child.exited;
    expect(code).toBe(1);
    expect(child.output()).toMatch(/uncaught exception/);
    expect(child.output()).toMatch(/simulated uncaught exception/);
  }, 90_000);
});
