/**
 * `npm start` is package.json's `start` script: node with the server's options running scripts/start.mjs, which
 * checks the builds (test/setup made them fresh) and runs the server in its own process — no second node, no
 * rebuild — until SIGTERM ends it with 0. And the build writes the code cache for exactly that command line.
 * Everything it writes to stdout is pino JSON with ISO times, the start-up lines included.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
// @ts-expect-error -- a plain .mjs script without type declarations
import { buildIdOf, codeCachePath } from '../../scripts/code-cache.mjs';

const root = join(import.meta.dirname, '..', '..');
const startScript = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;

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
  it('is node running scripts/start.mjs, with a code cache built for its options', () => {
    const words = startScript.split(/\s+/);
    expect(words[0]).toBe('node');
    expect(words.at(-1)).toBe('scripts/start.mjs');
    const server = join(root, 'dist', 'server');
    const build = buildIdOf(readFileSync(join(server, 'server.cjs'), 'latin1').slice(0, 64));
    expect(readdirSync(server)).toContain((codeCachePath(server, build, words.slice(1, -1)) as string).split(/[\\/]/).at(-1));
  });

  it('serves with fresh builds, without building, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'owari-start-'));
    const child = spawn(process.execPath, startScript.split(/\s+/).slice(1), {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH, NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', SESSION_SECRET: 'start-test-'.padEnd(40, 'x') },
    });
    let output = '';
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => ((output += d.toString()), (stdout += d.toString())));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect
        .poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status, { timeout: 15_000, interval: 50 })
        .toBe(200);
      expect(output).toContain(`listening on http://127.0.0.1:${port}`);
      expect(output).not.toMatch(/built/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const lines = stdout.split('\n').filter((line) => line !== '').map((line) => parseLogLine(line));
      expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining([`owari-support-bot listening on http://127.0.0.1:${port}`, 'ready', 'shutting down']));
      expect(lines.find((l) => /METRICS_TOKEN/.test(String(l.msg))), 'says at start-up that /metrics is off').toMatchObject({ level: 30 });
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the lines npm start writes before the server runs', () => {
  it('the build scripts print only through scripts/log.mjs', () => {
    for (const script of ['start.mjs', 'build-server.mjs', 'build-widget.mjs', 'server-main.mjs', 'code-cache.mjs', 'freshness.mjs']) {
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
