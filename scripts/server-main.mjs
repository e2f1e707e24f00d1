/**
 * dist/server/main.js, what `npm start` runs (scripts/start.mjs imports it; scripts/build-server.mjs copies this
 * file there): loads the server bundle, dist/server/server.cjs, with V8's code cache, then starts the server.
 *
 * Why: parsing and compiling the bundle's functions (Botkit, the Bot Framework SDK, Express…) was a third of
 * the start-up time. The code cache holds the bytecode V8 compiled while the bundle's modules were evaluated;
 * with it V8 reads that bytecode instead of compiling again. (Node 22's module.enableCompileCache does this
 * for modules; Node 20 has only vm.Script's cachedData, hence a CommonJS bundle run through vm.Script.)
 *
 * A build writes the cache for the `start` command line (scripts/build-server.mjs runs this file with
 * OWARI_CODE_CACHE=only: evaluate the bundle, write the cache, exit without starting the server). Another
 * command line (other node options) runs without one. A cache V8 rejects (another node binary, say) is
 * replaced after the bundle is evaluated. A cache changes how fast the bundle loads, never what it does.
 */
import { isAscii } from 'node:buffer';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { buildIdOf, codeCachePath } from './code-cache.mjs';

const dir = dirname(fileURLToPath(import.meta.url));
const file = join(dir, 'server.cjs');
const bytes = readFileSync(file);
// esbuild writes ASCII (other characters escaped); latin1 is then the same text and cheaper to decode.
const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
const cacheFile = codeCachePath(dir, buildIdOf(source.slice(0, 64)));
const writeOnly = process.env.OWARI_CODE_CACHE === 'only';

let cachedData;
try {
  if (!writeOnly) cachedData = readFileSync(cacheFile);
} catch {
  // none for this command line
}

// The bundle is a CommonJS module (exports.start). The sources' import.meta.url, import.meta.resolve and import()
// are the last three parameters (see scripts/build-server.mjs), answered from this directory as before.
const wrapper = '(function (exports, require, module, __filename, __dirname, __owariImportMetaUrl, __owariImportMetaResolve, __owariImport) {';
const script = new Script(`${wrapper}${source}\n})`, { filename: file, cachedData });
const module = { exports: {} };
const url = pathToFileURL(file).href;
script.runInThisContext()(module.exports, createRequire(file), module, file, dir, url, (specifier) => import.meta.resolve(specifier), (specifier, options) => import(specifier, options));

if (writeOnly || (cachedData && script.cachedDataRejected)) {
  try {
    const temp = `${cacheFile}.${process.pid}`;
    writeFileSync(temp, script.createCachedData());
    renameSync(temp, cacheFile);
  } catch (error) {
    if (writeOnly) throw error;
    // dist/ not writable: run without
  }
}

if (!writeOnly) module.exports.start();
