/**
 * Staff authentication: `Authorization: Bearer <STAFF_TOKEN>` (scripts, other systems) or HTTP Basic with
 * STAFF_USER / STAFF_PASSWORD (browsers). Secrets are compared through SHA-256 digests with
 * timingSafeEqual, so neither content nor length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

export interface StaffCredentials {
  token?: string;
  user?: string;
  password?: string;
}

export const staffEnabled = (c: StaffCredentials): boolean => Boolean(c.token || (c.user && c.password));

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
export const safeEqual = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

/** True when the Authorization header carries valid staff credentials. */
export function isAuthorized(header: string | undefined, c: StaffCredentials): boolean {
  if (!header) return false;
  const m = /^(Bearer|Basic)\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  const scheme = m[1]!.toLowerCase();
  if (scheme === 'bearer') return c.token !== undefined && safeEqual(m[2]!, c.token);
  if (c.user === undefined || c.password === undefined) return false;
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared every time (no short circuit), so a right user name is not told apart from a wrong one.
  const userOk = safeEqual(decoded.slice(0, colon), c.user);
  const passwordOk = safeEqual(decoded.slice(colon + 1), c.password);
  return userOk && passwordOk;
}

export function requireStaff(c: StaffCredentials): RequestHandler {
  const challenge = c.user && c.password ? 'Basic realm="owari-support staff", charset="UTF-8"' : 'Bearer realm="owari-support staff"';
  return (req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' });
    if (isAuthorized(req.headers.authorization, c)) {
      next();
      return;
    }
    res.status(401).set('WWW-Authenticate', challenge).json({ error: 'unauthorized' });
  };
}
