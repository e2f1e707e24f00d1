import { describe, expect, it } from 'vitest';
import type { MailSettings } from '../../src/config.ts';
import { thunderbirdConfig } from '../../src/autoconfig/thunderbird.ts';
import { golden, mailFrom, parseXml, STARTTLS_ENV, TLS_ENV } from './helpers.ts';

const SOCKET = { none: 'plain', starttls: 'STARTTLS', tls: 'SSL' } as const;

function checkAgainst(xml: string, mail: MailSettings): void {
  const doc = parseXml(xml);
  expect(doc.clientConfig['@version']).toBe('1.1');
  const p = doc.clientConfig.emailProvider;
  expect(p['@id']).toBe(mail.domain);
  expect(p.domain).toBe(mail.domain);
  expect(p.displayName).toBe(mail.displayName);
  const inc = p.incomingServer;
  expect(inc['@type']).toBe('pop3');
  expect(inc.hostname).toBe(mail.incoming.host);
  expect(inc.port).toBe(String(mail.incoming.port));
  expect(inc.socketType).toBe(SOCKET[mail.incoming.tls]);
  expect(inc.username).toBe('%EMAILLOCALPART%');
  expect(inc.authentication).toBe('password-cleartext');
  const out = p.outgoingServer;
  expect(out['@type']).toBe('smtp');
  expect(out.hostname).toBe(mail.outgoing.host);
  expect(out.port).toBe(String(mail.outgoing.port));
  expect(out.socketType).toBe(SOCKET[mail.outgoing.tls]);
  if (mail.outgoing.auth) {
    expect(out.username).toBe('%EMAILLOCALPART%');
    expect(out.authentication).toBe('password-cleartext');
  } else {
    expect(out.username).toBeUndefined();
    expect(out.authentication).toBe('none');
  }
}

describe('Thunderbird clientConfig', () => {
  it('defaults are the notice: mail.owari.ne.jp, POP3 110 plain, SMTP 587 plain with SMTP AUTH', () => {
    const mail = mailFrom();
    const xml = thunderbirdConfig(mail);
    checkAgainst(xml, mail);
    const p = parseXml(xml).clientConfig.emailProvider;
    expect([p.incomingServer.hostname, p.incomingServer.port, p.incomingServer.socketType]).toEqual(['mail.owari.ne.jp', '110', 'plain']);
    expect([p.outgoingServer.hostname, p.outgoingServer.port, p.outgoingServer.socketType]).toEqual(['mail.owari.ne.jp', '587', 'plain']);
    const g = golden('thunderbird-default.xml', xml);
    expect(g.actual).toBe(g.expected);
  });
  it.each([
    ['starttls', STARTTLS_ENV],
    ['implicit TLS', TLS_ENV],
    ['no SMTP AUTH, other hosts', { SMTP_AUTH: 'false', POP_HOST: 'pop.example.jp', SMTP_HOST: 'smtp.example.jp', MAIL_DOMAIN: 'Example.JP' }],
  ])('follows the settings source: %s', (_name, env) => {
    const mail = mailFrom(env);
    checkAgainst(thunderbirdConfig(mail), mail);
  });
  it('golden: implicit TLS', () => {
    const g = golden('thunderbird-tls.xml', thunderbirdConfig(mailFrom(TLS_ENV)));
    expect(g.actual).toBe(g.expected);
  });
  it('escapes settings text with the XML library (display name with markup characters)', () => {
    const mail = { ...mailFrom(), displayName: 'A & B <尾張>' };
    expect(parseXml(thunderbirdConfig(mail)).clientConfig.emailProvider.displayName).toBe('A &amp; B &lt;尾張&gt;'); // raw, entities unprocessed
    expect(thunderbirdConfig(mail)).toContain('A &amp; B &lt;尾張&gt;');
  });
});
