/** A mail server's host name in a pasted message is a server, not the customer's line or address. */
import { describe, expect, it } from 'vitest';
import { lexicon, steps } from './helpers.ts';
import { readFacts } from '../../src/language/facts.ts';

describe('server host names', () => {
  it('a quoted server name tells neither the line nor the address', () => {
    const facts = readFacts('Thunderbirdで smtp.owari.ne.jp に接続できませんと出る', steps.q1, lexicon);
    expect(facts.address).toBeUndefined();
    expect(facts.connection).toBeUndefined();
    expect(facts.client).toMatchObject({ value: 'thunderbird' });
  });

  it('a typed address beside a server name is still read', () => {
    const facts = readFacts('hana@owari.ne.jp で pop.owari.ne.jp から受信してます', steps.q3, lexicon);
    expect(facts.address).toMatchObject({ value: 'owari', account: 'hana' });
  });
});
