/**
 * The bench scripts' server: its command line (as `npm start` runs it), its environment (rate limits out of the
 * way, loopback only) and waiting for it to be ready.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** The server's default key prefix (conversations `owari:c:…`, staff transcripts `owari:staff:…`). */
const SERVER_PREFIX = 'owari:';

/**
 * What `node` is given by a checkout's `start` script (package.json): its options, then the script (and its
 * arguments), so a bench runs the server exactly as `npm start` runs it.
 */
export function startCommand(root: string): { nodeOptions: string[]; script: string[] } {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts.start!.split(/\s+/).filter((w, i) => !(i === 0 && w === 'exec'));
  if (words[0] !== 'node') throw new Error(`bench expects "start" to be a node command, got: ${pkg.scripts.start}`);
  const firstArgument = words.findIndex((w, i) => i > 0 && !w.startsWith('-'));
  return { nodeOptions: words.slice(1, firstArgument < 0 ? undefined : firstArgument), script: firstArgument < 0 ? [] : words.slice(firstArgument) };
}

export function serverEnv(port: number, dataDir: string, redisUrl?: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    SESSION_SECRET: 'bench-'.padEnd(40, 'x'),
    SESSION_TTL: '3600',
    RATE_LIMIT_MESSAGES: '1000000000',
    RATE_LIMIT_CONVERSATIONS: '1000000000',
    MAX_SOCKETS_PER_IP: '1000000',
    MAX_CONNECTIONS_PER_IP: '1000000',
    MAX_CONNECTIONS: '1000000',
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
}

/** Resolves once `${url}/readyz` answers 200; rejects if the server exits first or is not ready in time. */
export async function waitReady(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  throw new Error(`server not ready after ${timeoutMs} ms`);
}

/**
 * Removes what a bench server left in its scratch Redis DB: conversations and staff transcripts (kept for the
 * retention period otherwise, so every run would add tens of MB to the machine's redis-server).
 */
export async function removeBenchKeys(url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${SERVER_PREFIX}*`, 'COUNT', 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
