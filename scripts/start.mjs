#!/usr/bin/env node
/**
 * `npm start`: builds the widget and the server (scripts/build-widget.mjs, scripts/build-server.mjs) if their
 * sources changed since the last build — `npm ci && npm start` needs no separate build step — then runs the
 * server, dist/server/main.js, in this same process. esbuild is loaded only when something is to be built.
 *
 * Node's compile cache (module.enableCompileCache, in NODE_COMPILE_CACHE or the temporary directory) keeps the
 * bytecode of the bundle between starts; where this user cannot write it, the server starts without it and says so.
 * package.json's `start` runs node with --enable-source-maps: stack traces name src/ files and lines.
 */
import module from 'node:module';
import { buildServer } from './build-server.mjs';
import { buildWidget } from './build-widget.mjs';
import { log } from './log.mjs';

// Node 22 ignores NODE_COMPILE_CACHE when it is not passed here: an unusable directory would go unreported.
const cache = module.enableCompileCache?.(process.env.NODE_COMPILE_CACHE || undefined);
if (cache?.status === module.constants.compileCacheStatus.FAILED) {
  await log('warn', 'compile cache off: the bundle is compiled at every start', { reason: cache.message, fix: 'set NODE_COMPILE_CACHE to a directory this user can write' });
}

let built = false;
try {
  built = (await buildWidget()) && (await buildServer(), true);
} catch (error) {
  await log('error', error instanceof Error ? error.message : String(error));
}
if (built) await import('../dist/server/main.js');
else process.exitCode = 1;
