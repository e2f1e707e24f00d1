/**
 * Brute-force protection of the staff login. Failed attempts are counted per client IP and per Basic user name
 * (through Redis when REDIS_URL is set, so every instance counts together: rate-limit.ts). Once an IP or a user
 * name has used up its failures, every attempt from that IP or with that name is refused with 429 until the
 * window ends, right credentials included: checking them meanwhile would tell a guesser when they are right.
 * A success clears its own IP's failures only (never a user name's, nor other IPs').
 *
 * A Bearer token (16 characters or more) is counted per IP only: a per-token count would let anyone lock the
 * scripts out, and guessing such a token is hopeless anyway.
 */
import { createHash } from 'node:crypto';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiters } from '../rate-limit.ts';

export const LOGIN_FAILURES_PER_IP = 5;
export const LOGIN_FAILURES_PER_USER = 10;
export const LOGIN_WINDOW_SECONDS = 15 * 60;

export interface LoginGuard {
  /** Seconds until this IP (and user name, if any) may try again; 0 when not blocked. */
  blockedFor(ip: string, user: string | undefined): Promise<number>;
  failed(ip: string, user: string | undefined): Promise<void>;
  succeeded(ip: string): Promise<void>;
}

/** A user name of any length is one short key. */
const userKey = (user: string) => createHash('sha256').update(user, 'utf8').digest('base64url');

export function createLoginGuard(deps: {
  limiters: RateLimiters;
  failuresPerIp?: number;
  failuresPerUser?: number;
  windowSeconds?: number;
}): LoginGuard {
  const windowSeconds = deps.windowSeconds ?? LOGIN_WINDOW_SECONDS;
  const perIp = deps.limiters.create({ name: 'staff-login-ip', points: deps.failuresPerIp ?? LOGIN_FAILURES_PER_IP, durationSeconds: windowSeconds });
  const perUser = deps.limiters.create({ name: 'staff-login-user', points: deps.failuresPerUser ?? LOGIN_FAILURES_PER_USER, durationSeconds: windowSeconds });

  /** Milliseconds left of this key's block, 0 when it still has failures to spend. */
  const blockLeft = async (limiter: RateLimiterAbstract, key: string): Promise<number> => {
    const res: RateLimiterRes | null = await limiter.get(key);
    return res && res.consumedPoints >= limiter.points ? Math.max(res.msBeforeNext, 1) : 0;
  };
  // A rejected consume only says the count is past the limit, which blockedFor reads on the next attempt.
  const count = (limiter: RateLimiterAbstract, key: string) => limiter.consume(key).then(() => undefined, () => undefined);

  return {
    async blockedFor(ip, user) {
      const [ipMs, userMs] = await Promise.all([blockLeft(perIp, ip), user === undefined ? 0 : blockLeft(perUser, userKey(user))]);
      return Math.ceil(Math.max(ipMs, userMs) / 1000);
    },
    async failed(ip, user) {
      await Promise.all([count(perIp, ip), user === undefined ? undefined : count(perUser, userKey(user))]);
    },
    async succeeded(ip) {
      await perIp.delete(ip);
    },
  };
}
