#!/usr/bin/env node
/**
 * Compiles the server (src/main.ts and everything it imports, node_modules included except native addons) into
 * one ES module, dist/server/main.js, which `npm start` runs with plain node: no TypeScript loader at start-up,
 * one file to read instead of thousands. Run by `npm start` (prestart); skipped when the bundle is newer than
 * every source it depends on (src/, package.json, package-lock.json), so a restart does not pay for a build.
 * Tests keep running the TypeScript sources.
 *
 * The bundle sits two levels under the repository (dist/server/), like src/<part>/, so sources that find
 * files relative to import.meta.url (../../locales, ../../public) find the same files. src/staff/assets is
 * copied beside it for the same reason.
 */
import { build } from 'esbuild';
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './freshness.mjs';
import { nativeAsyncPlugin } from './native-async.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'server');
const outfile = join(outdir, 'main.js');


const inputs = ['src', 'package.json', 'package-lock.json', 'scripts/build-server.mjs', 'scripts/native-async.mjs'].map((p) => join(root, p));
const stale = isStale(outfile, inputs);

if (stale) {
  const started = performance.now();
  await build({
    entryPoints: [join(root, 'src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Native addons stay in node_modules.
    external: ['better-sqlite3'],
    legalComments: 'none',
    // Botkit and the Bot Framework SDK as native async functions: see scripts/native-async.mjs.
    plugins: [nativeAsyncPlugin],
    logLevel: 'warning',
    // CommonJS dependencies (Botkit) expect require, __filename and __dirname.
    banner: {
      js: [
        "import { createRequire as __owariCreateRequire } from 'node:module';",
        "import { fileURLToPath as __owariFileURLToPath } from 'node:url';",
        "import { dirname as __owariDirname } from 'node:path';",
        'const require = __owariCreateRequire(import.meta.url);',
        'const __filename = __owariFileURLToPath(import.meta.url);',
        'const __dirname = __owariDirname(__filename);',
      ].join(' '),
    },
  });
  if (existsSync(join(root, 'src/staff/assets'))) cpSync(join(root, 'src/staff/assets'), join(outdir, 'assets'), { recursive: true });
  if (!process.env.VITEST) console.log(`server: dist/server/main.js built in ${Math.round(performance.now() - started)} ms`);
}
