/**
 * Stored schemas carry a version and are brought up to date at start, one small step at a time.
 *
 * SQLite: each database file's version is its `PRAGMA user_version`; every step runs in its own transaction
 * together with the new version number, so a crash mid-way leaves the file at the last finished step. Redis: a
 * version key per key prefix. Version 0 is a store from before versions were kept. A store whose version is
 * newer than any step known here belongs to a newer release, and start-up stops rather than guess.
 *
 * Steps are written so that running one on a store already in its shape changes nothing (an earlier store
 * may have had the shape without the number); to change a schema, append a step with the next version.
 */

/** What a step needs of a SQLite connection (node:sqlite's DatabaseSync). */
export interface SqlConnection {
  exec(sql: string): unknown;
  prepare(sql: string): { get(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
}

export interface SqliteStep {
  version: number;
  /** What the step does, for the log and for the people who read the list. */
  does: string;
  up(db: SqlConnection): void;
}

export class SchemaVersionError extends Error {
  constructor(what: string, found: number, known: number) {
    super(`${what} has schema version ${found}, newer than this release knows (${known}): run the release that wrote it, or restore a backup`);
    this.name = 'SchemaVersionError';
  }
}

function checkSteps(steps: readonly { version: number }[]): number {
  steps.forEach((s, i) => {
    if (s.version !== i + 1) throw new Error(`migration steps must be numbered 1, 2, 3…; step ${i + 1} says ${s.version}`);
  });
  return steps.length;
}

export const sqliteVersion = (db: SqlConnection): number => Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);

/** Brings a SQLite database up to the last step; returns the version it had and the one it has now. */
export function migrateSqlite(db: SqlConnection, what: string, steps: readonly SqliteStep[]): { from: number; to: number } {
  const latest = checkSteps(steps);
  const from = sqliteVersion(db);
  if (from > latest) throw new SchemaVersionError(what, from, latest);
  for (const step of steps.slice(from)) {
    db.exec('BEGIN IMMEDIATE');
    try {
      step.up(db);
      db.exec(`PRAGMA user_version = ${step.version}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return { from, to: latest };
}

/** The columns of a table, for steps that add one only where it is missing. */
export const columnsOf = (db: SqlConnection, table: string): string[] =>
  (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((c) => c.name);

/** What a Redis step needs: ioredis' client has it. */
export interface RedisConnection {
  get(key: string): Promise<string | null>;
  eval(script: string, numberOfKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

export interface RedisStep<R extends RedisConnection = RedisConnection> {
  version: number;
  does: string;
  up(redis: R, prefix: string): Promise<void>;
}

/** Sets the version key, never lowering it (another instance may have migrated further meanwhile). */
const RAISE_VERSION = `local v = tonumber(redis.call('GET', KEYS[1]) or '0')
if v < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end
return v`;

export const redisVersionKey = (prefix: string) => `${prefix}schema-version`;

/**
 * Brings the keys under `prefix` up to the last step. Instances starting together may run the same step at
 * once: steps are idempotent, and the version only ever goes up.
 */
export async function migrateRedis<R extends RedisConnection>(redis: R, prefix: string, steps: readonly RedisStep<R>[]): Promise<{ from: number; to: number }> {
  const latest = checkSteps(steps);
  const key = redisVersionKey(prefix);
  const from = Number((await redis.get(key)) ?? 0);
  if (!Number.isInteger(from) || from > latest) throw new SchemaVersionError(`Redis keys ${prefix}*`, from, latest);
  for (const step of steps.slice(from)) {
    await step.up(redis, prefix);
    await redis.eval(RAISE_VERSION, 1, key, step.version);
  }
  return { from, to: latest };
}
