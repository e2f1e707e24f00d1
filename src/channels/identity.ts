/**
 * Customer identity from a helpdesk portal (protocol.md "Customer identity"): the portal's server signs its
 * customer's id with PORTAL_IDENTITY_SECRET (hex HMAC-SHA256 of the id), the page passes id, email, name and
 * that hash to the widget, and only a claim whose hash matches is attached to the conversation. Everything in a
 * claim is untrusted until then: shapes and lengths are checked first, the hash compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CustomerIdentity } from '../conversation/customer.ts';

export interface IdentityClaim extends CustomerIdentity {
  hash: string;
}

export const IDENTITY_LIMITS = { id: 128, email: 254, name: 100 } as const;

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** An address a person can be written to: local@domain with a dotted domain, no spaces, quotes or brackets. */
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const HASH = /^[0-9a-f]{64}$/i;

const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max && !CONTROL.test(v);
const absent = (v: unknown) => v === undefined || v === null;

/** The claim if every field has its type, length and shape; 'malformed' otherwise. */
export function parseIdentityClaim(raw: unknown): IdentityClaim | 'malformed' {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'malformed';
  const o = raw as Record<string, unknown>;
  if (!text(o.id, IDENTITY_LIMITS.id) || typeof o.hash !== 'string' || !HASH.test(o.hash)) return 'malformed';
  if (!absent(o.email) && !(typeof o.email === 'string' && o.email.length <= IDENTITY_LIMITS.email && EMAIL.test(o.email))) return 'malformed';
  if (!absent(o.name) && !text(o.name, IDENTITY_LIMITS.name)) return 'malformed';
  const claim: IdentityClaim = { id: o.id, hash: o.hash.toLowerCase() };
  if (typeof o.email === 'string') claim.email = o.email;
  if (typeof o.name === 'string') claim.name = o.name.trim();
  return claim;
}

/** What the portal's server computes: hex HMAC-SHA256(secret, id). */
export function identityHash(secret: string, id: string): string {
  return createHmac('sha256', secret).update(id, 'utf8').digest('hex');
}

export type Verified = { ok: true; customer: CustomerIdentity } | { ok: false; reason: 'malformed' | 'forged' | 'not_configured' };

/** Verifies claims against PORTAL_IDENTITY_SECRET; without it every claim is refused as not_configured. */
export function createIdentityVerifier(secret: string | undefined): (claim: IdentityClaim | 'malformed') => Verified {
  return (claim) => {
    if (!secret) return { ok: false, reason: 'not_configured' };
    if (claim === 'malformed') return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(identityHash(secret, claim.id), 'hex');
    const given = Buffer.from(claim.hash, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
    const customer: CustomerIdentity = { id: claim.id };
    if (claim.email !== undefined) customer.email = claim.email;
    if (claim.name !== undefined) customer.name = claim.name;
    return { ok: true, customer };
  };
}
