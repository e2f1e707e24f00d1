/**
 * The server build (scripts/build-server.mjs): one ES module with its source map, and a refusal to build against
 * Botkit or Bot Framework SDK versions other than those its rewrites were checked with, saying what to do.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { buildServer, VERIFIED_VERSIONS, versionMismatches } from '../../scripts/build-server.mjs';

const root = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('server build', () => {
  it('is an ES module with a linked source map (test/setup built it)', () => {
    const bundle = readFileSync(join(root, 'dist/server/main.js'), 'utf8');
    expect(bundle.startsWith('import ')).toBe(true);
    expect(bundle).toMatch(/\/\/# sourceMappingURL=main\.js\.map\s*$/);
    const map = JSON.parse(readFileSync(join(root, 'dist/server/main.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources).toContain('../../src/main.ts');
  });

  it('the installed Botkit and Bot Framework SDK are the versions the build was checked with', () => {
    expect(versionMismatches()).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // Pinned exactly, so `npm install` cannot move them.
    expect(pkg.dependencies.botkit).toBe(VERIFIED_VERSIONS.botkit);
  });

  it('another version installed: named, with what to do', async () => {
    const modules = mkdtempSync(join(tmpdir(), 'owari-modules-'));
    dirs.push(modules);
    for (const [name, version] of Object.entries(VERIFIED_VERSIONS as Record<string, string>)) {
      mkdirSync(join(modules, name));
      writeFileSync(join(modules, name, 'package.json'), JSON.stringify({ version: name === 'botkit' ? '4.16.0' : version }));
    }
    expect(versionMismatches(modules)).toEqual([`botkit 4.16.0 is installed; the build was checked with ${VERIFIED_VERSIONS.botkit}`]);
    await expect(buildServer({ force: true, modules })).rejects.toThrow(/botkit 4\.16\.0 is installed.*Run `npm ci`.*VERIFIED_VERSIONS/);
  });
});
