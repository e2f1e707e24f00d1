/** Whether build outputs are older than any of their inputs (files or directories, searched recursively). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs;

function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** `output`: one path or several; stale if any is missing or older than the newest input. */
export function isStale(output, inputs) {
  if (process.argv.includes('--force')) return true;
  const outputs = [output].flat().map(mtime);
  if (outputs.some((m) => m === undefined)) return true;
  return Math.max(...inputs.map(newestMtime)) > Math.min(...outputs);
}
