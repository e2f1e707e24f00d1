/**
 * DATA_DIR holds conversation ids (bearer tokens valid for 30 days), transcripts and the generated session secret:
 * only the server's own user may read it. The directory is 0700 and its files 0600, whatever the umask.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

const ours = (uid: number) => typeof process.getuid !== 'function' || process.getuid() === uid;

/**
 * Creates `dir` as 0700, or narrows an existing one this user owns. Returns why an existing directory that others
 * can enter is left as it is (another user owns it), for the caller to log; null when the directory is private.
 */
export function ensurePrivateDir(dir: string): string | null {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  const st = statSync(dir);
  if ((st.mode & 0o077) === 0) return null;
  if (!ours(st.uid)) return `DATA_DIR ${dir} can be read by other users and belongs to another user: run chmod 700 on it`;
  chmodSync(dir, DIR_MODE);
  return null;
}

/**
 * Makes `path` a 0600 file before SQLite opens it: SQLite creates a database with 0644, and gives its -wal and
 * -shm files the mode of the database file. Files that already exist (also -wal, -shm) are narrowed.
 */
export function ensurePrivateFile(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, 'a', FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    let st;
    try {
      st = statSync(file);
    } catch {
      continue;
    }
    if ((st.mode & 0o077) !== 0 && ours(st.uid)) chmodSync(file, FILE_MODE);
  }
}
