/**
 * The one place that opens SQLite files (Node's built-in node:sqlite: no native addon to build or download).
 * Plain JavaScript, so worker threads (which run this repository's .mjs files directly) use it too.
 *
 *   openDatabase(file, options)  a DatabaseSync with WAL, synchronous = NORMAL and a busy timeout; a new file is
 *                                created with mode 0600 (SQLite gives its -wal and -shm files the same mode)
 *   pragma(db, text)             runs `PRAGMA text`, returns the first column of the first row (or undefined)
 *   transaction(db, work)        runs work() inside BEGIN IMMEDIATE … COMMIT (ROLLBACK if it throws); inside an
 *                                open transaction it is a SAVEPOINT instead, so one call's writes go in whole or not at all
 *   backupDatabase(db, path)     an online copy of the open database to `path` (node:sqlite's backup())
 */
import { closeSync, existsSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Node 22 flags node:sqlite with an ExperimentalWarning when it is first loaded; that one warning is dropped,
 * every other warning goes through. (Node 24 prints none.)
 */
function loadSqlite() {
  const emitWarning = process.emitWarning;
  process.emitWarning = function (warning, ...rest) {
    const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
    if (type === 'ExperimentalWarning' && String(warning?.message ?? warning).startsWith('SQLite ')) return;
    return emitWarning.call(process, warning, ...rest);
  };
  try {
    return createRequire(import.meta.url)('node:sqlite');
  } finally {
    process.emitWarning = emitWarning;
  }
}

const sqlite = loadSqlite();
export const { DatabaseSync } = sqlite;

export function openDatabase(file, { wal = true, busyTimeoutMs = 5000, fileMode = 0o600, readOnly = false } = {}) {
  if (!readOnly && file !== ':memory:' && !existsSync(file)) closeSync(openSync(file, 'a', fileMode));
  const db = new DatabaseSync(file, { readOnly });
  db.exec(`PRAGMA busy_timeout = ${Number(busyTimeoutMs)}`);
  if (wal && !readOnly) {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
  }
  return db;
}

export function pragma(db, text) {
  const row = db.prepare(`PRAGMA ${text}`).get();
  return row === undefined ? undefined : Object.values(row)[0];
}

let savepoints = 0;

export function transaction(db, work) {
  if (db.isTransaction) {
    const name = `nested_${++savepoints}`;
    db.exec(`SAVEPOINT ${name}`);
    try {
      const result = work();
      db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      db.exec(`ROLLBACK TO ${name}`);
      db.exec(`RELEASE ${name}`);
      throw error;
    }
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = work();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

export function backupDatabase(db, path) {
  return sqlite.backup(db, path);
}
