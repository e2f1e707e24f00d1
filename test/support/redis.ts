/**
 * Redis for tests: a real redis-server, found through REDIS_URL (default redis://127.0.0.1:6379).
 *
 * In CI (CI=true) a Redis that does not answer is a failure, never a silent skip: .ci/run installs and starts
 * one. On a laptop without Redis the Redis tests are skipped, and say so once, with the command that fixes it.
 *
 * Tests never collide: store tests use a prefix of their own (uniquePrefix), tests that start whole servers
 * use a database number of their own (redisDbUrl). The bench uses DB 15; the server's default DB 0 is left alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { freePort } from './free-port.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const INSTALL_HINT = 'install and start it with: apt-get install -y redis-server && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no (or run bash .ci/run)';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RedisProbe {
  url: string;
  available: boolean;
  /** Why the Redis tests are skipped (undefined when available). */
  reason?: string;
}

let probed: Promise<RedisProbe> | undefined;

async function ping(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 1500, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    redis.disconnect();
  }
}

/**
 * Use at the top of a test file: `const redis = await requireRedis();` then `describe.skipIf(!redis.available)`.
 * Throws (failing the file) when CI=true and Redis does not answer.
 */
export async function requireRedis(): Promise<RedisProbe> {
  probed ??= (async () => {
    const problem = await ping(REDIS_URL);
    if (!problem) return { url: REDIS_URL, available: true };
    const reason = `no redis-server answers at ${REDIS_URL} (${problem})`;
    if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error(`CI needs Redis for the Redis tests: ${reason}. .ci/run installs and starts it; ${INSTALL_HINT}`);
    }
    console.warn(`\n  SKIPPED Redis tests: ${reason}.\n  To run them, ${INSTALL_HINT}\n`);
    return { url: REDIS_URL, available: false, reason };
  })();
  return probed;
}

/** A key prefix no other test (or process) uses. */
export function uniquePrefix(name: string): string {
  return `test:${name}:${process.pid}:${randomBytes(4).toString('hex')}:`;
}

/** The same server with another database number (tests that start whole servers, which use the default prefix). */
export function redisDbUrl(db: number, base = REDIS_URL): string {
  const url = new URL(base);
  url.pathname = `/${db}`;
  return url.toString();
}

/** Deletes every key with this prefix (in the URL's database). */
export async function deleteKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export { freePort };

/**
 * A private redis-server (its own port and directory, append-only file fsync'd on every write) that a test may
 * stop and start again. The shared Redis on 6379 is never stopped.
 */
export class PrivateRedis {
  private child?: ChildProcess;
  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), mkdtempSync(join(tmpdir(), 'owari-redis-')));
    await redis.start();
    return redis;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--daemonize', 'no'], {
      stdio: 'ignore',
    });
    this.child = child;
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      if (!(await ping(this.url))) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('private redis-server did not start within 10 s');
  }

  /** Stops it (SIGTERM: it finishes writing its append-only file). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
