/**
 * Conversation ids are issued only by this server: 128 random bits plus an HMAC over them, so an id
 * can be checked without a lookup and a client cannot invent or alter one.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionIds {
  issue(): string;
  verify(id: unknown): id is string;
}

const MAC_BYTES = 16;
const ID_PATTERN = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/;

export function createSessionIds(secret: string): SessionIds {
  const mac = (nonce: string) => createHmac('sha256', secret).update(nonce).digest().subarray(0, MAC_BYTES);
  return {
    issue() {
      const nonce = randomBytes(16).toString('base64url');
      return `${nonce}.${mac(nonce).toString('base64url')}`;
    },
    verify(id: unknown): id is string {
      if (typeof id !== 'string' || !ID_PATTERN.test(id)) return false;
      const [nonce, given] = id.split('.') as [string, string];
      // Compared as text, not decoded bytes: base64url's padding bits would otherwise let 16 spellings of one
      // MAC verify — 16 ids (and 16 rate-limit keys) for one conversation. Only the spelling we issued is valid.
      const expected = Buffer.from(mac(nonce).toString('base64url'));
      const actual = Buffer.from(given);
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}
