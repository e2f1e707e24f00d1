#!/usr/bin/env node
/**
 * Compiles the server (src/main.ts and everything it imports, node_modules included) into
 * one CommonJS script, dist/server/server.cjs, which `npm start` runs with plain node through dist/server/main.js
 * (scripts/server-main.mjs: V8's code cache for the bundle, then start). No TypeScript loader at start-up, one
 * file to read instead of thousands. Run by `npm start` (scripts/start.mjs); skipped when the bundle
 * is newer than every source it depends on (src/, package.json, package-lock.json, these scripts), so a restart
 * does not pay for a build. Tests keep running the TypeScript sources (the whole-process scale tests excepted).
 *
 * After a build, the bundle is evaluated once (in a child process) with the `start` script's node options to write
 * its code cache (the server is not started); see scripts/server-main.mjs.
 *
 * The bundle sits two levels under the repository (dist/server/), like src/<part>/, so sources that find
 * files relative to import.meta.url (../../locales, ../../public) find the same files. src/staff/assets is
 * copied beside it for the same reason.
 */
import { closeSync, copyFileSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIdOf, codeCachePath } from './code-cache.mjs';
import { isStale } from './freshness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'server');
const bundle = join(outdir, 'server.cjs');
const main = join(outdir, 'main.js');
const scripts = ['build-server.mjs', 'server-main.mjs', 'code-cache.mjs', 'native-async.mjs', 'lazy-modules.mjs', 'dynamic-import.mjs'].map((s) => join('scripts', s));
const inputs = ['src', 'package.json', 'package-lock.json', ...scripts].map((p) => join(root, p));

/** Whether dist/server is older than any of its sources. */
export const serverIsStale = () => isStale([bundle, main], inputs);

/** Builds dist/server if it is stale (or always, with `force`); writes the code cache if it is missing. */
export async function buildServer({ force = false } = {}) {
  if (!force && !serverIsStale()) {
    const cache = startCodeCache();
    if (cache && !existsSync(cache.path)) await writeCodeCache(cache);
    return;
  }
  const started = performance.now();
  // Loaded only when there is something to build: a fresh start pays for none of them.
  const { build } = await import('esbuild');
  const plugins = await sourcePlugins(bundle);
  const result = await build({
    // Evaluating the bundle evaluates every module the server needs (server.ts and its imports); start()
    // then runs main.ts. The code cache is written in between (scripts/server-main.mjs).
    stdin: {
      contents: "import './src/server.ts';\nexport const start = () => import('./src/main.ts');\n",
      resolveDir: root,
      sourcefile: 'server-entry.ts',
      loader: 'ts',
    },
    outfile: bundle,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // No comments: a smaller file to read at every start, and ASCII only (see scripts/server-main.mjs).
    minifyWhitespace: true,
    legalComments: 'none',
    plugins,
    logLevel: 'warning',
    // scripts/server-main.mjs runs the bundle as a CommonJS module and passes these two for the sources' import.meta.
    define: { 'import.meta.url': '__owariImportMetaUrl', 'import.meta.resolve': '__owariImportMetaResolve' },
  });
  const code = result.outputFiles[0].contents;
  const { createHash } = await import('node:crypto');
  const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
  mkdirSync(outdir, { recursive: true });
  // Code caches of an earlier bundle: never valid again.
  for (const name of readdirSync(outdir)) if (name.endsWith('.cache')) rmSync(join(outdir, name), { force: true });
  writeFileSync(bundle, Buffer.concat([Buffer.from(`// build ${id}\n`), code]));
  copyFileSync(join(root, 'scripts', 'server-main.mjs'), main);
  copyFileSync(join(root, 'scripts', 'code-cache.mjs'), join(outdir, 'code-cache.mjs'));
  if (existsSync(join(root, 'src/staff/assets'))) cpSync(join(root, 'src/staff/assets'), join(outdir, 'assets'), { recursive: true });
  const cache = startCodeCache();
  if (cache) await writeCodeCache(cache);
  if (!process.env.VITEST) console.log(`server: dist/server/server.cjs built in ${Math.round(performance.now() - started)} ms`);
}

/**
 * The rewrites of dependency sources, in one onLoad callback (esbuild runs only the first one that answers for
 * a file): tsc's __awaiter as native async functions (scripts/native-async.mjs), modules unused at start-up
 * required on first use (scripts/lazy-modules.mjs), import() as the loader's (scripts/dynamic-import.mjs).
 */
export async function sourcePlugins(bundle) {
  const { readFile } = await import('node:fs/promises');
  const { nativeAsync, NATIVE_ASYNC_PACKAGES } = await import('./native-async.mjs');
  const { lazyModulesPlugin, lazyRequires, lazySpecifiersOf } = await import('./lazy-modules.mjs');
  const { dynamicImports } = await import('./dynamic-import.mjs');
  const transforms = {
    name: 'source-transforms',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/].*\.[cm]?js$/ }, async (args) => {
        const original = await readFile(args.path, 'utf8');
        const warnings = [];
        let source = original;
        if (NATIVE_ASYNC_PACKAGES.test(args.path)) source = nativeAsync(source) ?? source;
        const lazy = lazySpecifiersOf(args.path);
        if (lazy) source = lazyRequires(source, args.path, lazy, (text) => warnings.push({ text })) ?? source;
        source = dynamicImports(source, args.path) ?? source;
        if (source === original) return warnings.length > 0 ? { warnings } : undefined;
        return { contents: source, loader: 'js', resolveDir: dirname(args.path), warnings };
      });
    },
  };
  return [lazyModulesPlugin({ bundle }), transforms];
}

/** The node options of the `start` script and the code cache file they need; undefined if start is not `[exec] node … scripts/start.mjs`. */
function startCodeCache() {
  // `exec`: the shell npm runs the script in becomes node (see README, "Signals and production").
  const words = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts?.start ?? '').split(/\s+/).filter((w, i) => !(i === 0 && w === 'exec'));
  // scripts/start.mjs runs dist/server/main.js in its own process (main.js named directly works too).
  const at = words.findIndex((w) => w === 'scripts/start.mjs' || w === 'dist/server/main.js');
  if (words[0] !== 'node' || at < 0 || !existsSync(bundle)) return undefined;
  const execArgv = words.slice(1, at);
  const head = Buffer.alloc(64);
  const fd = openSync(bundle, 'r');
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  return { execArgv, path: codeCachePath(outdir, buildIdOf(head.toString('latin1')), execArgv) };
}

/** Evaluates the bundle once with the `start` script's node options, to write its code cache (scripts/server-main.mjs). */
async function writeCodeCache({ execArgv }) {
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, [...execArgv, main], { cwd: root, stdio: 'inherit', env: { ...process.env, OWARI_CODE_CACHE: 'only' } });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await buildServer({ force: process.argv.includes('--force') });
