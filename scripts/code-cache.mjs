/**
 * Where the server bundle's V8 code cache is kept: dist/server/server.<build>-<runtime>.cache, where <build> is
 * the bundle's content hash (on its first line) and <runtime> stands for the node binary and its options — V8
 * accepts a cache only from the same V8 with the same flags. Used by scripts/build-server.mjs and, copied to
 * dist/server/code-cache.mjs, by the loader (scripts/server-main.mjs).
 */
import { join } from 'node:path';

/** The build id a bundle carries on its first line (`// build <id>`). */
export const buildIdOf = (firstLine) => /^\/\/ build ([0-9a-f]+)/.exec(firstLine)?.[1] ?? 'unknown';

/** The cache file for the bundle `build` in `dir`, run by this node with the node options `execArgv`. */
export function codeCachePath(dir, build, execArgv = process.execArgv) {
  const runtime = JSON.stringify([process.version, process.arch, execArgv, process.env.NODE_OPTIONS ?? '']);
  return join(dir, `server.${build}-${fnv1a(runtime)}.cache`);
}

/** FNV-1a, 32 bits, as 8 hex digits: names a file, no security involved (and no node:crypto to load at every `npm start`). */
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
