import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { backupDatabase, DatabaseSync, openDatabase, pragma, transaction } from '../../src/storage/sqlite-db.mjs';

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'owari-sqlite-db-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const count = (db: DatabaseSync) => (db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

describe('sqlite-db', () => {
  it('opens a new file readable by its owner only, in WAL mode with a busy timeout', () => {
    const file = join(dir(), 'a.db');
    const db = openDatabase(file);
    expect(pragma(db, 'journal_mode')).toBe('wal');
    expect(pragma(db, 'synchronous')).toBe(1);
    expect(pragma(db, 'busy_timeout')).toBe(5000);
    db.exec('CREATE TABLE t (x)');
    db.prepare('INSERT INTO t VALUES (?)').run(1);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('transaction: commits what the work wrote, rolls all of it back when the work throws', () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (x)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    expect(transaction(db, () => (insert.run(1), insert.run(2), 'done'))).toBe('done');
    expect(count(db)).toBe(2);
    expect(() => transaction(db, () => (insert.run(3), (() => { throw new Error('boom'); })()))).toThrow('boom');
    expect(count(db)).toBe(2);
    expect(db.isTransaction).toBe(false);
  });

  it('transaction inside an open transaction: a savepoint, so only the failed part is undone', () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (x)');
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    db.exec('BEGIN IMMEDIATE');
    transaction(db, () => insert.run(1));
    expect(() => transaction(db, () => (insert.run(2), (() => { throw new Error('boom'); })()))).toThrow('boom');
    expect(db.isTransaction).toBe(true);
    db.exec('COMMIT');
    expect(db.prepare('SELECT x FROM t').all().map((r) => r.x)).toEqual([1]);
  });

  it('backupDatabase copies an open database, committed rows included', async () => {
    const d = dir();
    const db = openDatabase(join(d, 'live.db'));
    db.exec('CREATE TABLE t (x)');
    transaction(db, () => db.prepare('INSERT INTO t VALUES (?)').run(7));
    expect(await backupDatabase(db, join(d, 'copy.db'))).toBeGreaterThan(0);
    const copy = new DatabaseSync(join(d, 'copy.db'), { readOnly: true });
    expect(count(copy)).toBe(1);
    copy.close();
    db.close();
  });

  // Node 22 warns that node:sqlite is experimental; Node 24 does not.
  it('loading it prints no warning about node:sqlite, and other warnings still print', () => {
    const module = pathToFileURL(join(import.meta.dirname, '../../src/storage/sqlite-db.mjs')).href;
    const script = `await import(${JSON.stringify(module)}); process.emitWarning('still here', 'ExperimentalWarning');`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/SQLite/);
    expect(result.stderr).toMatch(/ExperimentalWarning: still here/);
  });
});
