/**
 * `npm start` is package.json's `start` script: node with the server's options running scripts/start.mjs, which
 * checks the builds (test/setup made them fresh) and runs the server in its own process — no second node, no
 * rebuild — until SIGTERM ends it with 0. And the build writes the code cache for exactly that command line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
// @ts-expect-error -- a plain .mjs script without type declarations
import { buildIdOf, codeCachePath } from '../../scripts/code-cache.mjs';

const root = join(import.meta.dirname, '..', '..');
const startScript = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;

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
      env: { PATH: process.env.PATH, NODE_ENV: 'test', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', SESSION_SECRET: 'start-test-'.padEnd(40, 'x') },
    });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect
        .poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.status, { timeout: 15_000, interval: 50 })
        .toBe(200);
      expect(output).toContain(`listening on http://127.0.0.1:${port}`);
      expect(output).not.toMatch(/built in/);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
