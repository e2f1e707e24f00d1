/** A portal's customer identity claim: shape checks and the HMAC (identity.ts). */
import { describe, expect, it } from 'vitest';
import { createIdentityVerifier, identityHash, parseIdentityClaim } from '../../src/channels/identity.ts';
import { validateInbound } from '../../src/channels/inbound.ts';

const SECRET = 'portal-secret-0123456789abcdef-0123456789';
const claim = (over: Record<string, unknown> = {}) => ({ id: 'cust-42', email: 'hanako@example.jp', name: '尾張 花子', hash: identityHash(SECRET, 'cust-42'), ...over });

describe('customer identity claims', () => {
  const verify = createIdentityVerifier(SECRET);

  it('the portal server\'s hex HMAC-SHA256 of the id verifies; the customer carries no hash', () => {
    expect(identityHash(SECRET, 'cust-42')).toMatch(/^[0-9a-f]{64}$/);
    expect(verify(parseIdentityClaim(claim()))).toEqual({ ok: true, customer: { id: 'cust-42', email: 'hanako@example.jp', name: '尾張 花子' } });
    expect(verify(parseIdentityClaim(claim({ hash: identityHash(SECRET, 'cust-42').toUpperCase() })))).toMatchObject({ ok: true });
    expect(verify(parseIdentityClaim({ id: 'cust-42', hash: identityHash(SECRET, 'cust-42') }))).toEqual({ ok: true, customer: { id: 'cust-42' } });
  });

  it('a hash of another id, or made with another secret, is forged', () => {
    expect(verify(parseIdentityClaim(claim({ id: 'cust-43' })))).toEqual({ ok: false, reason: 'forged' });
    expect(verify(parseIdentityClaim(claim({ hash: identityHash('another-secret-0123456789abcdef012', 'cust-42') })))).toEqual({ ok: false, reason: 'forged' });
  });

  it('wrong types, lengths and shapes are malformed', () => {
    const bad: unknown[] = [
      null, 'cust-42', [], {},
      claim({ id: 42 }), claim({ id: '' }), claim({ id: '   ' }), claim({ id: 'x'.repeat(129) }), claim({ id: 'a\nb' }),
      claim({ hash: 'abc' }), claim({ hash: 'g'.repeat(64) }), claim({ hash: undefined }),
      claim({ email: 'not an address' }), claim({ email: 'a@b' }), claim({ email: '<a@b.jp>' }), claim({ email: `${'a'.repeat(250)}@b.jp` }), claim({ email: 7 }),
      claim({ name: 'x'.repeat(101) }), claim({ name: 'a\u0000b' }), claim({ name: {} }),
    ];
    for (const raw of bad) expect(verify(parseIdentityClaim(raw)), JSON.stringify(raw)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('without PORTAL_IDENTITY_SECRET nothing verifies', () => {
    expect(createIdentityVerifier(undefined)(parseIdentityClaim(claim()))).toEqual({ ok: false, reason: 'not_configured' });
  });

  it('frames: identity on hello and welcome_back; identify needs a well-formed one', () => {
    expect(validateInbound({ type: 'hello', identity: claim() })).toMatchObject({ ok: true, value: { identity: { id: 'cust-42' } } });
    expect(validateInbound({ type: 'hello', identity: 'x' })).toMatchObject({ ok: true, value: { identity: 'malformed' } });
    expect(validateInbound({ type: 'message', text: 'はい', identity: claim() })).toEqual({ ok: true, value: { type: 'message', text: 'はい', lang: undefined } });
    expect(validateInbound({ type: 'identify', identity: claim() })).toMatchObject({ ok: true, value: { type: 'identify' } });
    expect(validateInbound({ type: 'identify' })).toMatchObject({ ok: false, code: 'malformed' });
    expect(validateInbound({ type: 'identify', identity: claim({ email: 'x' }) })).toMatchObject({ ok: false, code: 'malformed' });
  });
});
