/**
 * The server build (scripts/build-server.mjs): one ES module with its source map, and a refusal to build against
 * Botkit or Bot Framework SDK versions other than those its rewrites were checked with, saying what to do.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { buildServer, ourSourcesOnly, VERIFIED_VERSIONS, versionMismatches } from '../../scripts/build-server.mjs';
import { decode, encode } from '@jridgewell/sourcemap-codec';
import { SourceMap, type SourceMapPayload } from 'node:module';

const root = join(import.meta.dirname, '..', '..');
/** The original file a position of the generated file maps to, if any. */
const source = (map: SourceMap, line: number, column: number) => (map.findEntry(line, column) as { originalSource?: string }).originalSource;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('server build', () => {
  it('is an ES module with a linked source map (test/setup built it)', () => {
    const bundle = readFileSync(join(root, 'dist/server/main.js'), 'utf8');
    expect(bundle.startsWith('import ')).toBe(true);
    expect(bundle).toMatch(/\/\/# sourceMappingURL=main\.js\.map\s*$/);
    const map = JSON.parse(readFileSync(join(root, 'dist/server/main.js.map'), 'utf8')) as SourceMapPayload;
    expect(map.sources).toContain('../../src/main.ts');
    // src/ alone, without the sources' text: what a stack trace needs, read at every start.
    expect(map.sources.filter((s) => !s.startsWith('../../src/'))).toEqual([]);
    expect(map.sourcesContent).toBeUndefined();
    // A position in a bundled package maps to no source, not to the src/ code before it.
    const lines = bundle.split('\n');
    const line = lines.findIndex((l) => l.includes('function createApplication('));
    expect(source(new SourceMap(map), line, lines[line]!.indexOf('function createApplication('))).toBeUndefined();
  });

  it('keeps the mappings into src/ and marks where other code starts', async () => {
    const dir = join(root, 'dist', 'server');
    // Line 0: src/a.ts, a package, src/b.ts (named). Line 1: a package, then src/a.ts. Line 2: a package only.
    const mappings = encode([
      [[0, 0, 10, 2], [5, 1, 3, 0], [9, 1, 3, 4], [20, 2, 7, 1, 0]],
      [[0, 1, 8, 0], [30, 0, 11, 0]],
      [[0, 1, 9, 0]],
    ]);
    const full = { version: 3, sources: ['../../src/a.ts', '../../node_modules/p/index.js', '../../src/b.ts'], names: ['run'], mappings, sourcesContent: ['a', 'p', 'b'] };
    const kept = await ourSourcesOnly(full, dir);
    expect(kept.sources).toEqual(['../../src/a.ts', '../../src/b.ts']);
    expect(kept.names).toEqual(['run']);
    expect(kept.sourcesContent).toBeUndefined();
    expect(decode(kept.mappings)).toEqual([
      [[0, 0, 10, 2], [5], [20, 1, 7, 1, 0]],
      [[0], [30, 0, 11, 0]],
      [[0]],
      [],
    ]);
    const map = new SourceMap(kept);
    expect(source(map, 0, 7)).toBeUndefined();
    expect(source(map, 1, 3)).toBeUndefined();
    expect(source(map, 2, 40)).toBeUndefined();
    expect(map.findEntry(1, 31)).toMatchObject({ originalSource: '../../src/a.ts', originalLine: 11 });
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
