import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import plist from 'plist';
import { autodiscoverRequest, mailFrom, parseXml, serve, textsIn } from './helpers.ts';

const ja = textsIn('ja');
const mail = mailFrom();
let server: Awaited<ReturnType<typeof serve>>;
beforeAll(async () => {
  server = await serve({ mail, publicUrl: 'https://support.owari.ne.jp' });
});
afterAll(async () => {
  await server.close();
});

describe('Thunderbird endpoints', () => {
  it.each([
    '/mail/config-v1.1.xml',
    '/mail/config-v1.1.xml?emailaddress=taro%40owari.ne.jp',
    '/.well-known/autoconfig/mail/config-v1.1.xml',
    '/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=%3Cscript%3E',
  ])('GET %s → clientConfig XML', async (path) => {
    const res = await fetch(server.base + path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    const text = await res.text();
    expect(text).not.toContain('script');
    const p = parseXml(text).clientConfig.emailProvider;
    expect(p.incomingServer.username).toBe('%EMAILLOCALPART%');
    expect(p.outgoingServer.port).toBe('587');
  });
  it('HEAD works, POST does not', async () => {
    expect((await fetch(`${server.base}/mail/config-v1.1.xml`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${server.base}/mail/config-v1.1.xml`, { method: 'POST' })).status).toBe(404);
  });
});

describe('Autodiscover endpoint', () => {
  const post = (path: string, body: string, type = 'text/xml') =>
    fetch(server.base + path, { method: 'POST', headers: { 'content-type': type }, body });

  it.each(['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml', '/AutoDiscover/AutoDiscover.xml'])('POST %s → settings', async (path) => {
    const res = await post(path, autodiscoverRequest('taro@owari.ne.jp'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    const account = parseXml(await res.text()).Autodiscover.Response.Account;
    expect(account.Protocol.map((p: any) => [p.Type, p.LoginName, p.Port])).toEqual([['POP3', 'taro', '110'], ['SMTP', 'taro', '587']]);
  });
  it.each(['application/xml', 'text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded'])('accepts content type %s', async (type) => {
    const res = await post('/autodiscover/autodiscover.xml', autodiscoverRequest('taro@owari.ne.jp'), type);
    expect(parseXml(await res.text()).Autodiscover.Response.Account.Action).toBe('settings');
  });
  it('foreign address → Autodiscover error 500', async () => {
    const res = await post('/autodiscover/autodiscover.xml', autodiscoverRequest('taro@gmail.com'));
    expect(parseXml(await res.text()).Autodiscover.Response.Error.ErrorCode).toBe('500');
  });
  it('no body → Autodiscover error 600', async () => {
    const res = await fetch(`${server.base}/autodiscover/autodiscover.xml`, { method: 'POST' });
    expect(parseXml(await res.text()).Autodiscover.Response.Error.ErrorCode).toBe('600');
  });
  it('XXE over HTTP is inert', async () => {
    const body = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${autodiscoverRequest('&xxe;')}`;
    const text = await (await post('/autodiscover/autodiscover.xml', body)).text();
    expect(parseXml(text).Autodiscover.Response.Error.ErrorCode).toBe('600');
    expect(text).not.toContain('root:');
  });
  it('bodies over 16 KiB → 413; 16 KiB exactly is read', async () => {
    const request = autodiscoverRequest('taro@owari.ne.jp');
    const big = request + ' '.repeat(16 * 1024 - Buffer.byteLength(request) + 1);
    const res = await post('/autodiscover/autodiscover.xml', big);
    expect(res.status).toBe(413);
    expect(parseXml(await res.text()).Autodiscover.Response.Error.ErrorCode).toBe('600');
    const fits = await post('/autodiscover/autodiscover.xml', big.slice(0, -1));
    expect(fits.status).toBe(200);
    expect(parseXml(await fits.text()).Autodiscover.Response.Account.Action).toBe('settings');
  });
  it('compressed bodies are refused, not inflated', async () => {
    const { gzipSync } = await import('node:zlib');
    const res = await fetch(`${server.base}/autodiscover/autodiscover.xml`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.from(autodiscoverRequest('taro@owari.ne.jp'))),
    });
    expect(res.status).toBe(415);
  });
  it('GET is not served (falls through to the app)', async () => {
    expect((await fetch(`${server.base}/autodiscover/autodiscover.xml`)).status).toBe(404);
  });
});

describe('Apple profile endpoint', () => {
  it('serves a profile for an owari address', async () => {
    const res = await fetch(`${server.base}/mail.mobileconfig?email=${encodeURIComponent('taro@owari.ne.jp')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-apple-aspen-config');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="owari.ne.jp.mobileconfig"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const profile: any = plist.parse(await res.text());
    const m = profile.PayloadContent[0];
    expect(m).toMatchObject({ EmailAddress: 'taro@owari.ne.jp', IncomingMailServerUsername: 'taro', OutgoingMailServerPortNumber: 587 });
    expect(profile.PayloadDisplayName).toBe(ja.t('profile.name', { displayName: mail.displayName }));
    expect(m.EmailAccountDescription).toBe('インターネット尾張 (taro@owari.ne.jp)');
  });
  it('accepts full-width input and normalises it', async () => {
    const res = await fetch(`${server.base}/mail.mobileconfig?email=${encodeURIComponent('ｔａｒｏ＠owari.ne.jp')}`);
    expect((plist.parse(await res.text()) as any).PayloadContent[0].EmailAddress).toBe('taro@owari.ne.jp');
  });
  it.each([
    ['taro@gmail.com', 'foreign_domain'],
    ['taro', 'syntax'],
    ['<script>alert(1)</script>@owari.ne.jp', 'syntax'],
    ['', 'empty'],
    [`${'a'.repeat(70)}@owari.ne.jp`, 'too_long'],
  ])('%j → 400 with the Japanese explanation, input not echoed', async (email, problem) => {
    const res = await fetch(`${server.base}/mail.mobileconfig?email=${encodeURIComponent(email)}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    const html = await res.text();
    expect(html).toContain(ja.t(`profile.error.${problem}`, { domain: 'owari.ne.jp', displayName: 'インターネット尾張' }));
    expect(html).toContain('<html lang="ja">');
    expect(html).not.toContain('<script>');
    if (email) expect(html).not.toContain(email);
  });
  it('a repeated ?email= is refused', async () => {
    const res = await fetch(`${server.base}/mail.mobileconfig?email=a%40owari.ne.jp&email=b%40owari.ne.jp`);
    expect(res.status).toBe(400);
  });
  it('without ?email= → the form page (200), which submits back here', async () => {
    const res = await fetch(`${server.base}/mail.mobileconfig`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<form method="get" action="mail.mobileconfig">');
    expect(html).toContain('name="email"');
    expect(html).toContain(ja.t('profile.page.intro'));
  });
});
