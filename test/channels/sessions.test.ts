/** Server-issued conversation ids (protocol.md): 128 random bits + HMAC; nothing else verifies. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSessionIds } from '../../src/channels/sessions.ts';
import { loadConfig } from '../../src/config.ts';
import { SESSION_ID } from '../support/protocol.ts';

const ids = createSessionIds('k'.repeat(32));

describe('session ids', () => {
  it('are unguessable: distinct, 128-bit nonces, and verify only with the secret that signed them', () => {
    const issued = Array.from({ length: 10_000 }, () => ids.issue());
    expect(new Set(issued).size).toBe(issued.length);
    for (const id of issued.slice(0, 100)) {
      expect(id).toMatch(SESSION_ID);
      expect(ids.verify(id)).toBe(true);
      expect(createSessionIds('j'.repeat(32)).verify(id)).toBe(false);
    }
  });

  it('any change to an issued id makes it invalid', () => {
    const id = ids.issue();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < id.length; i++) {
      if (id[i] === '.') continue;
      for (const c of alphabet) {
        if (c === id[i]) continue;
        const tampered = id.slice(0, i) + c + id.slice(i + 1);
        // Including the last character, whose low bits base64url decoding ignores: one conversation, one spelling.
        expect(ids.verify(tampered), tampered).toBe(false);
      }
    }
  });

  it('nothing a client can send verifies unless we issued it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue(), fc.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/)), (value) => {
        expect(ids.verify(value)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('NODE_ENV=production without SESSION_SECRET (or with a short one) is a configuration error that says what to do', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: required when NODE_ENV=production.*openssl rand -hex 32/s);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET: must be at least 32 characters/);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(32) }).sessionSecret).toBe('x'.repeat(32));
  });
});
