/**
 * A consistent copy of everything DATA_DIR must keep, taken while the server runs: every SQLite database through
 * SQLite's online backup API (a snapshot of committed transactions, WAL included, without stopping writers) and
 * the generated session secret (without it no customer could resume a conversation). The copy is itself a
 * DATA_DIR: a server started on it carries on from it. Files are written under a temporary name and renamed
 * when complete, so an interrupted backup never looks like a finished one.
 */
import { backupDatabase, openDatabase } from './sqlite-db.mjs';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Files of DATA_DIR that are not databases but must be kept. */
export const KEPT_FILES = ['session-secret'] as const;

export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

/** Backs up `dataDir` into `target` (created if missing; files already there are never overwritten). Returns the files written. */
export async function backupDataDir(dataDir: string, target: string): Promise<string[]> {
  if (!existsSync(dataDir)) throw new BackupError(`DATA_DIR ${dataDir} does not exist`);
  const databases = readdirSync(dataDir).filter((f) => f.endsWith('.db'));
  const files = [...databases, ...KEPT_FILES.filter((f) => existsSync(join(dataDir, f)))];
  if (files.length === 0) throw new BackupError(`DATA_DIR ${dataDir} holds nothing to back up`);
  mkdirSync(target, { recursive: true });
  const clash = files.filter((f) => existsSync(join(target, f)));
  if (clash.length > 0) throw new BackupError(`${target} already holds ${clash.join(', ')}: back up into an empty directory`);

  for (const name of databases) {
    const partial = join(target, `${name}.partial`);
    rmSync(partial, { force: true });
    // Not read-only: a read-only connection cannot open a WAL database whose -shm file is gone (a stopped server).
    // The backup API only reads from it.
    const db = openDatabase(join(dataDir, name), { wal: false });
    try {
      await backupDatabase(db, partial);
    } finally {
      db.close();
    }
    renameSync(partial, join(target, name));
  }
  for (const name of KEPT_FILES) {
    if (!files.includes(name)) continue;
    copyFileSync(join(dataDir, name), join(target, `${name}.partial`));
    renameSync(join(target, `${name}.partial`), join(target, name));
  }
  return files;
}
