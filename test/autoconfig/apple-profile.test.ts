import { describe, expect, it } from 'vitest';
import plist from 'plist';
import type { MailSettings } from '../../src/config.ts';
import { appleProfile, profileIdentifier, type ProfileTexts } from '../../src/autoconfig/apple-profile.ts';
import { parseCustomerAddress } from '../../src/autoconfig/address.ts';
import { golden, mailFrom, STARTTLS_ENV, TLS_ENV } from './helpers.ts';

const TEXTS: ProfileTexts = { profileName: 'P', profileDescription: 'D', accountDescription: 'A' };
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

function who(address: string, mail: MailSettings) {
  const r = parseCustomerAddress(address, mail.domain);
  if (!r.ok) throw new Error('bad test address');
  return r;
}

function parse(xml: string): any {
  return plist.parse(xml);
}

function checkAgainst(xml: string, mail: MailSettings, address: string, local: string): any {
  const top = parse(xml);
  expect(top).toMatchObject({ PayloadType: 'Configuration', PayloadVersion: 1, PayloadDisplayName: 'P', PayloadDescription: 'D', PayloadOrganization: mail.displayName });
  expect(top.PayloadUUID).toMatch(UUID);
  expect(top.PayloadContent).toHaveLength(1);
  const m = top.PayloadContent[0];
  expect(m).toMatchObject({
    PayloadType: 'com.apple.mail.managed',
    PayloadVersion: 1,
    EmailAccountType: 'EmailTypePOP',
    EmailAccountDescription: 'A',
    EmailAddress: address,
    IncomingMailServerHostName: mail.incoming.host,
    IncomingMailServerPortNumber: mail.incoming.port,
    IncomingMailServerUseSSL: mail.incoming.tls !== 'none',
    IncomingMailServerAuthentication: 'EmailAuthPassword',
    IncomingMailServerUsername: local,
    OutgoingMailServerHostName: mail.outgoing.host,
    OutgoingMailServerPortNumber: mail.outgoing.port,
    OutgoingMailServerUseSSL: mail.outgoing.tls !== 'none',
  });
  expect(m.PayloadUUID).toMatch(UUID);
  expect(m.PayloadUUID).not.toBe(top.PayloadUUID);
  expect(m.PayloadIdentifier.startsWith(`${top.PayloadIdentifier}.`)).toBe(true);
  if (mail.outgoing.auth) {
    expect(m).toMatchObject({ OutgoingMailServerAuthentication: 'EmailAuthPassword', OutgoingMailServerUsername: local, OutgoingPasswordSameAsIncomingPassword: true });
  } else {
    expect(m.OutgoingMailServerAuthentication).toBe('EmailAuthNone');
    expect(m.OutgoingPasswordSameAsIncomingPassword).toBeUndefined();
  }
  expect(JSON.stringify(top)).not.toMatch(/Password"\s*:\s*"/); // never a password value
  return top;
}

describe('Apple configuration profile', () => {
  it('defaults from the notice; types are real plist integers and booleans', () => {
    const mail = mailFrom();
    const xml = appleProfile(who('taro@owari.ne.jp', mail), mail, TEXTS);
    const top = checkAgainst(xml, mail, 'taro@owari.ne.jp', 'taro');
    const m = top.PayloadContent[0];
    expect([m.IncomingMailServerPortNumber, m.OutgoingMailServerPortNumber, m.IncomingMailServerUseSSL, m.OutgoingMailServerUseSSL]).toEqual([110, 587, false, false]);
    expect(xml).toContain('<integer>587</integer>');
  });
  it.each([['starttls', STARTTLS_ENV], ['implicit TLS', TLS_ENV], ['no SMTP AUTH', { SMTP_AUTH: '0' }]])('follows the settings source: %s', (_n, env) => {
    const mail = mailFrom(env);
    checkAgainst(appleProfile(who('Hanako.S@owari.ne.jp', mail), mail, TEXTS), mail, 'Hanako.S@owari.ne.jp', 'Hanako.S');
  });
  it('stable PayloadIdentifier per address, fresh UUIDs per download', () => {
    const mail = mailFrom();
    const a = parse(appleProfile(who('taro@owari.ne.jp', mail), mail, TEXTS));
    const b = parse(appleProfile(who('taro@owari.ne.jp', mail), mail, TEXTS));
    const c = parse(appleProfile(who('hanako@owari.ne.jp', mail), mail, TEXTS));
    expect(a.PayloadIdentifier).toBe(b.PayloadIdentifier);
    expect(a.PayloadContent[0].PayloadIdentifier).toBe(b.PayloadContent[0].PayloadIdentifier);
    expect(a.PayloadUUID).not.toBe(b.PayloadUUID);
    expect(a.PayloadContent[0].PayloadUUID).not.toBe(b.PayloadContent[0].PayloadUUID);
    expect(c.PayloadIdentifier).not.toBe(a.PayloadIdentifier);
    expect(a.PayloadIdentifier).toMatch(/^jp\.ne\.owari\.mail-profile\.[0-9a-f]{16}$/);
    expect(profileIdentifier('Taro@owari.ne.jp', 'owari.ne.jp')).toBe(profileIdentifier('taro@owari.ne.jp', 'owari.ne.jp'));
  });
  it('customer-controlled characters are escaped by the plist library', () => {
    const mail = mailFrom();
    const xml = appleProfile(who("o'hara&x@owari.ne.jp", mail), mail, { ...TEXTS, accountDescription: '<尾張> & "x"' });
    expect(parse(xml).PayloadContent[0].EmailAddress).toBe("o'hara&x@owari.ne.jp");
    expect(parse(xml).PayloadContent[0].EmailAccountDescription).toBe('<尾張> & "x"');
  });
  it('golden (UUIDs pinned)', () => {
    const mail = mailFrom();
    let n = 0;
    const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
    const g = golden('apple-default.mobileconfig', appleProfile(who('taro@owari.ne.jp', mail), mail, TEXTS, uuid));
    expect(g.actual).toBe(g.expected);
  });
});
