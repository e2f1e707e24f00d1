/**
 * `npm start` is package.json's `start` script: `exec node` with the server's options running scripts/start.mjs,
 * which checks the builds (test/setup made them fresh) and runs the server in its own process — no second node, no
 * rebuild — until SIGTERM ends it with 0. `exec` makes node npm's own child, so SIGTERM sent to npm reaches the
 * server, which shuts down and exits 0, and npm with it. Everything it writes to stdout is pino JSON with ISO times,
 * the start-up lines included.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chownSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';

const root = join(import.meta.dirname, '..', '..');
const startScript = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
/** The command after `exec`: node, its options, the script. */
const command = startScript.split(/\s+/).slice(1);
/** The server's shutdown budget (src/main.ts) and a little for npm. */
const SHUTDOWN_BUDGET_MS = 10_000 + 2_000;

function startEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', SESSION_SECRET: 'start-test-'.padEnd(40, 'x') };
}

async function ready(port: number): Promise<void> {
  await expect
    .poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status, { timeout: 15_000, interval: 50 })
    .toBe(200);
}

const exitOf = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

/** Every process below `pid` (ps), children first. */
function descendants(pid: number): { pid: number; args: string }[] {
  const all = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)!)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3]! }));
  const below: { pid: number; args: string }[] = [];
  for (let parents = [pid]; parents.length > 0; ) {
    const next = all.filter((p) => parents.includes(p.ppid));
    below.push(...next.map(({ pid, args }) => ({ pid, args })));
    parents = next.map((p) => p.pid);
  }
  return below;
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** One stdout line: a JSON object with pino's numeric level and an ISO 8601 time (UTC). */
function parseLogLine(line: string): { level: number; time: string; msg?: unknown } {
  let parsed: { level: number; time: string; msg?: unknown };
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`stdout line is not JSON: ${line}`);
  }
  expect(parsed.time, line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(Number.isInteger(parsed.level), line).toBe(true);
  return parsed;
}

describe('npm start', () => {
  it('is `exec node` running scripts/start.mjs', () => {
    expect(startScript.split(/\s+/)[0]).toBe('exec');
    expect(command[0]).toBe('node');
    expect(command.at(-1)).toBe('scripts/start.mjs');
  });

  it('serves with fresh builds, without building, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'owari-start-'));
    const compileCache = join(dataDir, 'compile-cache');
    const child = spawn(process.execPath, command.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...startEnv(port, dataDir), LOG_LEVEL: 'info', NODE_COMPILE_CACHE: compileCache } });
    let output = '';
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => ((output += d.toString()), (stdout += d.toString())));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = exitOf(child);
    try {
      await ready(port);
      expect(output).toContain(`listening on http://127.0.0.1:${port}`);
      expect(output).not.toMatch(/built/);
      child.kill('SIGTERM');
      expect((await exited).code).toBe(0);
      const lines = stdout.split('\n').filter((line) => line !== '').map((line) => parseLogLine(line));
      expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining([`owari-support-bot listening on http://127.0.0.1:${port}`, 'ready', 'shutting down']));
      expect(lines.find((l) => /METRICS_TOKEN/.test(String(l.msg))), 'says at start-up that /metrics is off').toMatchObject({ level: 30 });
      // Node's compile cache was on: the next start reads the bundle's bytecode instead of compiling it.
      expect(readdirSync(compileCache, { recursive: true }).length).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('SIGTERM to npm reaches the server: it shuts down, and npm exits 0, within the shutdown budget', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'owari-npm-start-'));
    const npm = spawn('npm', ['start', '--silent'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], env: { ...startEnv(port, dataDir), LOG_LEVEL: 'info' } });
    let output = '';
    npm.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = exitOf(npm);
    let server: number | undefined;
    try {
      await ready(port);
      // The server process, wherever it is below npm.
      const tree = descendants(npm.pid!);
      server = tree.find((p) => /^node /.test(p.args))?.pid;
      expect(server, JSON.stringify(tree)).toBeDefined();

      const t0 = Date.now();
      npm.kill('SIGTERM');
      expect(await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, SHUTDOWN_BUDGET_MS, 'still running'))])).toEqual({ code: 0, signal: null });
      expect(Date.now() - t0).toBeLessThan(SHUTDOWN_BUDGET_MS);
      expect(isRunning(server!), 'the server outlived npm').toBe(false);
      // The server's own graceful stop ran (not a kill): it logged it.
      expect(output).toMatch(/"signal":"SIGTERM","msg":"shutting down"/);
      // With `exec` the server is npm's only child: no shell in between to swallow the signal.
      expect(tree.map((p) => p.args)).toEqual([expect.stringMatching(/^node .*scripts\/start\.mjs$/)]);
    } finally {
      npm.kill('SIGKILL');
      if (server !== undefined && isRunning(server)) process.kill(server, 'SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 40_000);
});

/** A user other than root, for the runs as one (nobody), when this process may switch to it and it can read the repository. */
const NOBODY = 65534;
const canRunAsNobody = () =>
  process.getuid?.() === 0 && spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(join(root, 'scripts/start.mjs'))})`], { uid: NOBODY, gid: NOBODY }).status === 0;

describe('npm start where the compile cache cannot be written, and stack traces', () => {
  it('starts without the compile cache, saying so, when its directory cannot be created', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'owari-no-cache-'));
    writeFileSync(join(dataDir, 'a-file'), '');
    const child = spawn(process.execPath, command.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...startEnv(port, dataDir), NODE_COMPILE_CACHE: join(dataDir, 'a-file', 'cache') } });
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = exitOf(child);
    try {
      await ready(port);
      child.kill('SIGTERM');
      expect((await exited).code).toBe(0);
      const lines = stdout.split('\n').filter((line) => line !== '').map((line) => parseLogLine(line));
      expect(lines[0]).toMatchObject({ level: 40, msg: 'compile cache off: the bundle is compiled at every start', fix: expect.stringMatching(/NODE_COMPILE_CACHE/) });
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.runIf(canRunAsNobody())('serves as a user who is not root, with source maps on and the compile cache where only root may write', async () => {
    const port = await freePort();
    const home = mkdtempSync(join(tmpdir(), 'owari-nobody-'));
    chownSync(home, NOBODY, NOBODY);
    const rootsCache = mkdtempSync(join(tmpdir(), 'owari-roots-cache-'));
    expect(() => accessSync(rootsCache, constants.W_OK)).not.toThrow();
    const child = spawn(process.execPath, command.slice(1), {
      cwd: root,
      uid: NOBODY,
      gid: NOBODY,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...startEnv(port, join(home, 'data')), HOME: home, NODE_COMPILE_CACHE: rootsCache },
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = exitOf(child);
    try {
      await ready(port);
      child.kill('SIGTERM');
      expect((await exited).code, output).toBe(0);
      expect(output).toContain('compile cache off');
      expect(readdirSync(rootsCache)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      rmSync(home, { recursive: true, force: true });
      rmSync(rootsCache, { recursive: true, force: true });
    }
  });

  it('an error thrown in the built server has a stack trace naming the src/ .ts file and line', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'owari-stack-'));
    writeFileSync(join(dataDir, 'a-file'), '');
    try {
      // DATA_DIR below a regular file: mkdir fails in src/storage/private-files.ts, an error start-up does not explain.
      const run = spawnSync(process.execPath, command.slice(1), { cwd: root, encoding: 'utf8', env: { ...startEnv(0, join(dataDir, 'a-file', 'data')), NODE_COMPILE_CACHE: join(dataDir, 'cache') } });
      expect(run.status).toBe(1);
      const fatal = run.stdout.split('\n').filter((line) => line !== '').map((line) => parseLogLine(line) as { level: number; err?: { stack: string } }).find((l) => l.level === 60);
      const stack = fatal?.err?.stack ?? '';
      expect(stack, run.stdout).toMatch(/ENOTDIR/);
      const frame = /\((.*\/src\/storage\/private-files\.ts):(\d+):(\d+)\)/.exec(stack);
      expect(frame, stack).not.toBeNull();
      expect(frame![1]).toBe(join(root, 'src/storage/private-files.ts'));
      expect(readFileSync(frame![1]!, 'utf8').split('\n')[Number(frame![2]) - 1]).toContain('mkdirSync(');
      expect(stack).toMatch(/\(.*\/src\/server\.ts:\d+:\d+\)/);
      expect(stack).not.toContain('dist/server/main.js');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the lines npm start writes before the server runs', () => {
  it('the build scripts print only through scripts/log.mjs', () => {
    for (const script of ['start.mjs', 'build-server.mjs', 'build-widget.mjs', 'freshness.mjs', 'lazy-modules.mjs', 'native-async.mjs']) {
      expect(readFileSync(join(root, 'scripts', script), 'utf8'), script).not.toMatch(/console\.|process\.std(out|err)\.write/);
    }
  });

  it('scripts/log.mjs writes pino JSON with an ISO time, and honours LOG_LEVEL', () => {
    const program = "import { log } from './scripts/log.mjs'; await log('info', 'widget built', { bytes: 1 }); await log('error', 'over budget');";
    const run = (level: string) => execFileSync(process.execPath, ['--input-type=module', '-e', program], { cwd: root, env: { PATH: process.env.PATH, LOG_LEVEL: level }, encoding: 'utf8' });
    const lines = run('info').trim().split('\n').map((line) => parseLogLine(line));
    expect(lines).toMatchObject([
      { level: 30, msg: 'widget built', bytes: 1, service: 'owari-support-bot' },
      { level: 50, msg: 'over budget' },
    ]);
    expect(run('error').trim().split('\n').map((line) => parseLogLine(line).msg)).toEqual(['over budget']);
  });
});
