/** Whether a build output is older than any of its inputs (files or directories, searched recursively). */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function isStale(output, inputs) {
  return !existsSync(output) || Math.max(...inputs.map(newestMtime)) > statSync(output).mtimeMs || process.argv.includes('--force');
}
