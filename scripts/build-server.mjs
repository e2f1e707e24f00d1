#!/usr/bin/env node
/**
 * Builds the server: src/main.ts and everything it imports (node_modules included) as one ES module,
 * dist/server/main.js, with its source map beside it. `npm run build` runs it (and the widget's build);
 * `npm start` runs it when the bundle is older than any of its sources (src/, package.json, package-lock.json,
 * the build scripts), so a restart does not pay for a build. Tests run the TypeScript sources (the
 * whole-process tests excepted).
 *
 * The bundle sits two levels under the repository (dist/server/), like src/<part>/, so sources that find
 * files relative to import.meta.url (../../locales, ../../public) find the same files.
 *
 * The source map covers src/ only (ourSourcesOnly): the server runs with --enable-source-maps (package.json's
 * `start`), so a stack trace names src/….ts and its line; a map of all the bundled packages too would cost more
 * than a second of CPU and 170 MB at every start (docs/benchmarks.md), for frames of code that is not ours.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isStale } from './freshness.mjs';
import { log } from './log.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'server');
const bundle = join(outdir, 'main.js');
const scripts = ['build-server.mjs', 'native-async.mjs', 'lazy-modules.mjs'].map((s) => join('scripts', s));
const inputs = ['src', 'package.json', 'package-lock.json', ...scripts].map((p) => join(root, p));

/**
 * The versions the bundle's rewrites of Botkit and the Bot Framework SDK were checked against
 * (test/build/native-async.test.ts, test/build/lazy-modules.test.ts): lazy-modules.mjs names their private files.
 */
export const VERIFIED_VERSIONS = { botkit: '4.15.0', botbuilder: '4.23.3', 'botbuilder-dialogs': '4.23.3', 'botframework-connector': '4.23.3' };

/** Installed versions (in `modules`) that differ from VERIFIED_VERSIONS, each as a sentence. */
export function versionMismatches(modules = join(root, 'node_modules')) {
  const out = [];
  for (const [name, verified] of Object.entries(VERIFIED_VERSIONS)) {
    const file = join(modules, name, 'package.json');
    const installed = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : 'none';
    if (installed !== verified) out.push(`${name} ${installed} is installed; the build was checked with ${verified}`);
  }
  return out;
}

/** Whether dist/server is older than any of its sources. */
export const serverIsStale = () => isStale([bundle, `${bundle}.map`], inputs);

/** Builds dist/server if it is stale (or always, with `force`); `modules`: where to check the installed versions. */
export async function buildServer({ force = false, modules = undefined } = {}) {
  if (!force && !serverIsStale()) return;
  const mismatches = versionMismatches(modules);
  if (mismatches.length > 0) {
    throw new Error(
      `build-server: ${mismatches.join('; ')}. Run \`npm ci\` to install the locked versions, or, to move to the new ones, ` +
        'run `npx vitest run test/build`, fix scripts/lazy-modules.mjs where it warns, and update VERIFIED_VERSIONS in scripts/build-server.mjs.',
    );
  }
  const started = performance.now();
  // Loaded only when there is something to build: a start with a fresh bundle pays for none of them.
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'src', 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    sourcemap: 'linked',
    sourcesContent: false,
    // The bundled CommonJS packages call require() (Node's own modules, the packages left out by lazy-modules.mjs)
    // and read __dirname: give them the module's own.
    banner: {
      js: [
        "import { createRequire as __owariCreateRequire } from 'node:module';",
        "import { dirname as __owariDirname } from 'node:path';",
        "import { fileURLToPath as __owariFileURLToPath } from 'node:url';",
        'const require = __owariCreateRequire(import.meta.url);',
        'const __filename = __owariFileURLToPath(import.meta.url);',
        'const __dirname = __owariDirname(__filename);',
      ].join(''),
    },
    minifyWhitespace: true,
    legalComments: 'none',
    plugins: await sourcePlugins(bundle),
    logLevel: 'warning',
  });
  const mapFile = `${bundle}.map`;
  writeFileSync(mapFile, JSON.stringify(await ourSourcesOnly(JSON.parse(readFileSync(mapFile, 'utf8')), outdir)));
  if (!process.env.VITEST) await log('info', 'server built', { file: 'dist/server/main.js', ms: Math.round(performance.now() - started) });
}

/**
 * `map` (a source map of a file in `dir`) with the mappings into src/ alone. Code of other sources keeps a mapping to
 * no source where it starts, so a position in it is not taken for the src/ code before it (a position maps through
 * the nearest mapping before it, on its line or an earlier one).
 */
export async function ourSourcesOnly(map, dir) {
  const { decode, encode } = await import('@jridgewell/sourcemap-codec');
  const src = join(root, 'src');
  const ours = map.sources.map((source) => !relative(src, resolve(dir, source)).startsWith('..'));
  const sources = [];
  const names = [];
  const sourceIndex = new Map();
  const nameIndex = new Map();
  const indexIn = (index, list, value) => {
    if (!index.has(value)) index.set(value, list.push(value) - 1);
    return index.get(value);
  };
  let afterOurs = false;
  const lines = decode(map.mappings).map((line) => {
    const kept = [];
    for (const segment of line) {
      if (segment.length === 1 || !ours[segment[1]]) {
        if (afterOurs) kept.push([segment[0]]);
        afterOurs = false;
        continue;
      }
      afterOurs = true;
      const [column, source, sourceLine, sourceColumn, name] = segment;
      const mapped = [column, indexIn(sourceIndex, sources, map.sources[source]), sourceLine, sourceColumn];
      if (name !== undefined) mapped.push(indexIn(nameIndex, names, map.names[name]));
      kept.push(mapped);
    }
    return kept;
  });
  // Node reads a mapping to no source that ends the string as one to the source before it: end with a line break.
  if (!afterOurs) lines.push([]);
  return { version: 3, sources, names, mappings: encode(lines) };
}

/**
 * The rewrites of dependency sources, in one onLoad callback (esbuild runs only the first one that answers for
 * a file): tsc's __awaiter as native async functions (scripts/native-async.mjs), modules unused at start-up
 * required on first use (scripts/lazy-modules.mjs).
 */
export async function sourcePlugins(bundle) {
  const { readFile } = await import('node:fs/promises');
  const { nativeAsync, NATIVE_ASYNC_PACKAGES } = await import('./native-async.mjs');
  const { lazyModulesPlugin, lazyRequires, lazySpecifiersOf } = await import('./lazy-modules.mjs');
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
        if (source === original) return warnings.length > 0 ? { warnings } : undefined;
        return { contents: source, loader: 'js', resolveDir: dirname(args.path), warnings };
      });
    },
  };
  return [lazyModulesPlugin({ bundle }), transforms];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await buildServer({ force: process.argv.includes('--force') });
  } catch (error) {
    await log('error', error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
