import { describe, expect, it } from 'vitest';
import type { MailSettings } from '../../src/config.ts';
import {
  AUTODISCOVER_RESPONSE_NS,
  autodiscoverResponse,
  OUTLOOK_RESPONSE_SCHEMA,
  parseAutodiscoverRequest,
} from '../../src/autoconfig/autodiscover.ts';
import { autodiscoverRequest, golden, mailFrom, parseXml, STARTTLS_ENV, TLS_ENV } from './helpers.ts';

const FIXED = new Date('2025-01-02T03:04:05.678Z');

function settingsOf(xml: string): { pop: any; smtp: any; response: any } {
  const doc = parseXml(xml);
  expect(doc.Autodiscover['@xmlns']).toBe(AUTODISCOVER_RESPONSE_NS);
  const response = doc.Autodiscover.Response;
  expect(response['@xmlns']).toBe(OUTLOOK_RESPONSE_SCHEMA);
  expect(response.Account.AccountType).toBe('email');
  expect(response.Account.Action).toBe('settings');
  const protocols = response.Account.Protocol;
  expect(protocols).toHaveLength(2);
  return { pop: protocols[0], smtp: protocols[1], response };
}

function checkAgainst(xml: string, mail: MailSettings, login: string): void {
  const { pop, smtp } = settingsOf(xml);
  const ssl = (t: string) => (t === 'none' ? 'off' : 'on');
  const enc = (t: string) => ({ none: undefined, starttls: 'TLS', tls: 'SSL' })[t];
  expect(pop).toMatchObject({ Type: 'POP3', Server: mail.incoming.host, Port: String(mail.incoming.port), LoginName: login, DomainRequired: 'off', SPA: 'off', SSL: ssl(mail.incoming.tls), AuthRequired: 'on' });
  expect(pop.Encryption).toBe(enc(mail.incoming.tls));
  expect(smtp).toMatchObject({ Type: 'SMTP', Server: mail.outgoing.host, Port: String(mail.outgoing.port), SPA: 'off', SSL: ssl(mail.outgoing.tls), SMTPLast: 'off' });
  expect(smtp.Encryption).toBe(enc(mail.outgoing.tls));
  if (mail.outgoing.auth) expect(smtp).toMatchObject({ LoginName: login, AuthRequired: 'on', UsePOPAuth: 'on' });
  else expect(smtp).toMatchObject({ AuthRequired: 'off' });
}

function errorCode(xml: string): string {
  const doc = parseXml(xml);
  expect(doc.Autodiscover['@xmlns']).toBe(AUTODISCOVER_RESPONSE_NS);
  return doc.Autodiscover.Response.Error.ErrorCode;
}

describe('Autodiscover POX', () => {
  it('answers POP3 + SMTP for an owari address, LoginName = local part (defaults from the notice)', () => {
    const mail = mailFrom();
    const r = autodiscoverResponse(autodiscoverRequest('taro.yamada@owari.ne.jp'), mail);
    expect(r.ok).toBe(true);
    checkAgainst(r.xml, mail, 'taro.yamada');
    const { pop, smtp } = settingsOf(r.xml);
    expect([pop.Server, pop.Port, pop.SSL]).toEqual(['mail.owari.ne.jp', '110', 'off']);
    expect([smtp.Server, smtp.Port, smtp.SSL, smtp.AuthRequired]).toEqual(['mail.owari.ne.jp', '587', 'off', 'on']);
    const g = golden('autodiscover-default.xml', r.xml);
    expect(g.actual).toBe(g.expected);
  });
  it.each([
    ['starttls', STARTTLS_ENV],
    ['implicit TLS', TLS_ENV],
    ['no SMTP AUTH', { SMTP_AUTH: 'off' }],
  ])('follows the settings source: %s', (_n, env) => {
    const mail = mailFrom(env);
    const r = autodiscoverResponse(autodiscoverRequest('Hanako@OWARI.ne.jp'), mail);
    checkAgainst(r.xml, mail, 'Hanako');
  });
  it('works without AcceptableResponseSchema and with a prefixed request namespace', () => {
    const body = '<a:Autodiscover xmlns:a="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"><a:Request><a:EMailAddress>taro@owari.ne.jp</a:EMailAddress></a:Request></a:Autodiscover>';
    expect(autodiscoverResponse(body, mailFrom()).ok).toBe(true);
  });
  it.each([
    ['foreign address', autodiscoverRequest('taro@example.com'), '500'],
    ['invalid address', autodiscoverRequest('not an address'), '500'],
    ['markup-ish address', autodiscoverRequest('a&lt;b@owari.ne.jp'), '500'],
    ['empty address', autodiscoverRequest(''), '600'],
    ['no Request', '<Autodiscover/>', '600'],
    ['not XML', 'hello', '600'],
    ['broken XML', '<Autodiscover><Request><EMailAddress>taro@owari.ne.jp</Request>', '600'],
    ['two addresses', '<Autodiscover><Request><EMailAddress>a@owari.ne.jp</EMailAddress><EMailAddress>b@owari.ne.jp</EMailAddress></Request></Autodiscover>', '600'],
    ['mobilesync schema', autodiscoverRequest('taro@owari.ne.jp').replace('outlook/responseschema/2006a', 'mobilesync/responseschema/2006'), '601'],
  ])('error response: %s', (_n, body, code) => {
    const r = autodiscoverResponse(body, mailFrom(), FIXED);
    expect(r.ok).toBe(false);
    expect(errorCode(r.xml)).toBe(code);
    expect(r.xml).not.toContain('example.com');
    expect(r.xml).not.toContain('taro');
  });
  it('golden: error response', () => {
    const g = golden('autodiscover-error.xml', autodiscoverResponse(autodiscoverRequest('taro@example.com'), mailFrom(), FIXED).xml);
    expect(g.actual).toBe(g.expected);
  });

  describe('XXE and entity attacks are inert', () => {
    const attacks = {
      'external entity (file)': `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${autodiscoverRequest('&xxe;')}`,
      'external entity (http)': `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:1/x">]>${autodiscoverRequest('&xxe;@owari.ne.jp')}`,
      'internal entity building a valid address': `<!DOCTYPE r [<!ENTITY who "taro@owari.ne.jp">]>${autodiscoverRequest('&who;')}`,
      'parameter entity': `<!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>${autodiscoverRequest('taro@owari.ne.jp')}`,
      'billion laughs': `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>${autodiscoverRequest('&c;@owari.ne.jp')}`,
      'lower-case doctype': `<!doctype r [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>${autodiscoverRequest('&xxe;')}`,
    };
    it.each(Object.entries(attacks))('%s → error 600, nothing resolved', (_n, body) => {
      expect(parseAutodiscoverRequest(body)).toEqual({ ok: false, code: 600 });
      const r = autodiscoverResponse(body, mailFrom());
      expect(errorCode(r.xml)).toBe('600');
      expect(r.xml).not.toMatch(/root:|aaaa|taro/);
    });
    it('an undeclared entity reference is not expanded (stays literal, address refused)', () => {
      const r = autodiscoverResponse(autodiscoverRequest('&xxe;@owari.ne.jp'), mailFrom());
      expect(r.ok).toBe(false);
      expect(errorCode(r.xml)).toBe('500');
    });
  });
});
