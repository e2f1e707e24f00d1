import type { DatabaseSync as Database } from 'node:sqlite';

export type { StatementSync } from 'node:sqlite';
export declare const DatabaseSync: typeof Database;
export type DatabaseSync = Database;

export interface OpenOptions {
  /** WAL journal and synchronous = NORMAL (default true). */
  wal?: boolean;
  busyTimeoutMs?: number;
  /** Mode of a file this call creates (default 0o600). */
  fileMode?: number;
  readOnly?: boolean;
}
export declare function openDatabase(file: string, options?: OpenOptions): Database;
/** Runs `PRAGMA text`; the first column of the first row, or undefined. */
export declare function pragma(db: Database, text: string): unknown;
/** BEGIN IMMEDIATE … COMMIT around work (ROLLBACK if it throws); a SAVEPOINT when a transaction is already open. */
export declare function transaction<T>(db: Database, work: () => T): T;
/** Online copy of the open database to `path`; resolves to the number of pages copied. */
export declare function backupDatabase(db: Database, path: string): Promise<number>;
