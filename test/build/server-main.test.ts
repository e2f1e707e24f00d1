/**
 * dist/server/main.js (scripts/server-main.mjs) runs the server bundle through vm.Script with V8's code cache.
 * These tests run it on a small stand-in bundle: what the bundle sees (import.meta, import(), require) must be
 * what an ES module in dist/server/ sees, and the cache must be written when asked, used when valid, replaced
 * when rejected, and never change what runs. Also scripts/dynamic-import.mjs, which the bundle's import() needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// @ts-expect-error -- a plain .mjs build script without type declarations
import { dynamicImports } from '../../scripts/dynamic-import.mjs';

const root = join(import.meta.dirname, '..', '..');

describe('dist/server/main.js, the loader', () => {
  let dir: string;
  let server: string;
  const run = (env: Record<string, string> = {}) =>
    execFileSync(process.execPath, [join(server, 'main.js')], { cwd: dir, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  const caches = () => readdirSync(server).filter((name) => name.endsWith('.cache'));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'owari-loader-'));
    server = join(dir, 'dist', 'server');
    mkdirSync(server, { recursive: true });
    copyFileSync(join(root, 'scripts', 'server-main.mjs'), join(server, 'main.js'));
    copyFileSync(join(root, 'scripts', 'code-cache.mjs'), join(server, 'code-cache.mjs'));
    writeFileSync(join(server, 'module.mjs'), 'export const answer = 42;\n');
    writeFileSync(
      join(server, 'server.cjs'),
      [
        '// build 0123456789abcdef',
        'const path = require("node:path");',
        'exports.start = async () => {',
        '  const imported = await __owariImport(["./module", "mjs"].join("."));',
        '  console.log(JSON.stringify({ url: __owariImportMetaUrl, resolved: __owariImportMetaResolve("./module.mjs"), filename: __filename, dirname: __dirname, answer: imported.answer, join: path.join("a", "b"), text: "日本語" }));',
        '};',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the bundle with import.meta, import() and require answered as for a module in dist/server/', () => {
    expect(JSON.parse(run())).toEqual({
      url: pathToFileURL(join(server, 'server.cjs')).href,
      resolved: pathToFileURL(join(server, 'module.mjs')).href,
      filename: join(server, 'server.cjs'),
      dirname: server,
      answer: 42,
      join: join('a', 'b'),
      text: '日本語',
    });
    // Another command line makes no cache of its own: only a build writes one (for `npm start`).
    expect(caches()).toEqual([]);
  });

  it('with OWARI_CODE_CACHE=only: evaluates the bundle and writes its code cache, without starting', () => {
    expect(run({ OWARI_CODE_CACHE: 'only' })).toBe('');
    expect(caches()).toHaveLength(1);
    expect(caches()[0]).toMatch(/^server\.0123456789abcdef-[0-9a-f]{8}\.cache$/);
  });

  it('a rejected cache is replaced; the bundle runs the same', () => {
    const [cache] = caches();
    writeFileSync(join(server, cache!), 'not a code cache');
    expect(JSON.parse(run()).answer).toBe(42);
    expect(readFileSync(join(server, cache!)).toString()).not.toBe('not a code cache');
    expect(JSON.parse(run()).answer).toBe(42);
    expect(caches()).toEqual([cache]);
  });
});

describe('dynamicImports(): import() for a bundle run by vm.Script', () => {
  it('renames import() of a computed specifier, in modules and in scripts', () => {
    expect(dynamicImports('export const load = (name) => import(name);')).toBe('export const load = (name) => __owariImport(name);');
    expect(dynamicImports('with (o) { module.exports = () => import (`${o.x}`); }')).toBe('with (o) { module.exports = () => __owariImport (`${o.x}`); }');
  });

  it('leaves constant specifiers (bundled by esbuild), methods named import, comments and strings alone', () => {
    expect(dynamicImports('const a = import("open"); const b = import(`x`);')).toBeUndefined();
    expect(dynamicImports('class A { import(x) { return this.import(x); } }')).toBeUndefined();
    expect(dynamicImports('/** @type {import("./x")} */ const s = "import(y)";')).toBeUndefined();
    expect(dynamicImports('const x = 1;')).toBeUndefined();
  });

  it('the server bundle has no import() left but its own', () => {
    const bundle = readFileSync(join(root, 'dist', 'server', 'server.cjs'), 'latin1');
    // Real import() calls are what __owariImport replaced; any other "import(" must be a method (xmlbuilder2's).
    const others = [...bundle.matchAll(/(^|[^.\w$])import\s*\(/g)].map((m) => bundle.slice(m.index, m.index + 40));
    for (const text of others) expect(text).toMatch(/^[};]import\(\w+\)\{/);
  });
});
