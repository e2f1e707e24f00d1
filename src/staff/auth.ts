/**
 * Staff authentication: `Authorization: Bearer <STAFF_TOKEN>` (scripts, other systems) or HTTP Basic with
 * STAFF_USER / STAFF_PASSWORD (browsers). Secrets are compared through SHA-256 digests with
 * timingSafeEqual, so neither content nor length leaks through timing. Failed attempts are counted and
 * eventually refused with 429 (login-guard.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../log.ts';
import type { LoginGuard } from './login-guard.ts';

export interface StaffCredentials {
  token?: string;
  user?: string;
  password?: string;
}

export const staffEnabled = (c: StaffCredentials): boolean => Boolean(c.token || (c.user && c.password));

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
export const safeEqual = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

/** Logged user names are cut to this length (the header is the client's to fill). */
const LOGGED_USER_LENGTH = 64;

type Presented = { scheme: 'bearer'; token: string } | { scheme: 'basic'; user: string; password: string } | { scheme: 'malformed' };

/** What an Authorization header presents; undefined when there is none. */
function presented(header: string | undefined): Presented | undefined {
  if (!header) return undefined;
  const m = /^(Bearer|Basic)\s+(\S+)\s*$/i.exec(header);
  if (!m) return { scheme: 'malformed' };
  if (m[1]!.toLowerCase() === 'bearer') return { scheme: 'bearer', token: m[2]! };
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { scheme: 'malformed' };
  return { scheme: 'basic', user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function matches(p: Presented | undefined, c: StaffCredentials): boolean {
  if (p?.scheme === 'bearer') return c.token !== undefined && safeEqual(p.token, c.token);
  if (p?.scheme !== 'basic' || c.user === undefined || c.password === undefined) return false;
  // Both compared every time (no short circuit), so a right user name is not told apart from a wrong one.
  const userOk = safeEqual(p.user, c.user);
  const passwordOk = safeEqual(p.password, c.password);
  return userOk && passwordOk;
}

/** True when the Authorization header carries valid staff credentials. */
export function isAuthorized(header: string | undefined, c: StaffCredentials): boolean {
  return matches(presented(header), c);
}

export function requireStaff(c: StaffCredentials, deps: { guard: LoginGuard; log: Logger }): RequestHandler {
  const { guard, log } = deps;
  const challenge = c.user && c.password ? 'Basic realm="owari-support staff", charset="UTF-8"' : 'Bearer realm="owari-support staff"';
  return async (req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' });
    const attempt = presented(req.headers.authorization);
    // No credentials at all is a browser's first request (it asks for them on the 401): not a failed attempt.
    if (!attempt) {
      res.status(401).set('WWW-Authenticate', challenge).json({ error: 'unauthorized' });
      return;
    }
    const ip = req.ip ?? 'unknown';
    const user = attempt.scheme === 'basic' ? attempt.user : undefined;
    const wait = await guard.blockedFor(ip, user);
    if (wait > 0) {
      res.status(429).set('Retry-After', String(wait)).json({ error: 'too many failed logins' });
      return;
    }
    if (matches(attempt, c)) {
      await guard.succeeded(ip);
      next();
      return;
    }
    await guard.failed(ip, user);
    // Never the password or the token: only who tried, from where, and how.
    log.warn({ ip, user: user?.slice(0, LOGGED_USER_LENGTH), scheme: attempt.scheme, path: req.baseUrl + req.path }, 'staff login failed');
    res.status(401).set('WWW-Authenticate', challenge).json({ error: 'unauthorized' });
  };
}
