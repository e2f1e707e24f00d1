import { describe, expect, it } from 'vitest';
import { isInNetworks } from '../../src/language/index.ts';

describe('isInNetworks', () => {
  const nets = ['203.0.113.0/24', '198.51.100.7', '2001:db8:1234::/48'];
  it('IPv4', () => {
    expect(isInNetworks('203.0.113.5', nets)).toBe(true);
    expect(isInNetworks('203.0.114.5', nets)).toBe(false);
    expect(isInNetworks('198.51.100.7', nets)).toBe(true);
    expect(isInNetworks('198.51.100.8', nets)).toBe(false);
    expect(isInNetworks('10.1.2.3', ['0.0.0.0/0'])).toBe(true);
  });
  it('IPv6', () => {
    expect(isInNetworks('2001:db8:1234:5::1', nets)).toBe(true);
    expect(isInNetworks('2001:DB8:1234:ffff:ffff:ffff:ffff:ffff', nets)).toBe(true);
    expect(isInNetworks('2001:db8:1235::1', nets)).toBe(false);
    expect(isInNetworks('::1', ['::1/128'])).toBe(true);
    expect(isInNetworks('fe80::1%eth0', ['fe80::/10'])).toBe(true);
  });
  it('IPv4-mapped IPv6 is the IPv4 address', () => {
    expect(isInNetworks('::ffff:203.0.113.5', nets)).toBe(true);
    expect(isInNetworks('::ffff:cb00:7105', nets)).toBe(true);
    expect(isInNetworks('::ffff:203.0.114.5', nets)).toBe(false);
    expect(isInNetworks('203.0.113.5', ['::ffff:203.0.113.0/120'])).toBe(true);
  });
  it('malformed input is simply not in', () => {
    for (const ip of ['', 'abc', '256.1.1.1', '1.2.3', '1::2::3', '203.0.113.5/24']) expect(isInNetworks(ip, nets)).toBe(false);
    expect(isInNetworks('203.0.113.5', ['garbage', '203.0.113.0/33', '203.0.113.0/x'])).toBe(false);
    expect(isInNetworks('203.0.113.5', [])).toBe(false);
  });
});
