/**
 * The bot behind Debian's nginx with the configuration docs/deploy.md gives (read from it: the documented
 * configuration is the tested one). TLS with a certificate made here; chats over the websocket through it; the
 * per-IP limits see the client's address, and an X-Forwarded-For written by the client is not believed.
 */
import { readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { describeWithNginx, selfSignedCertificate, startNginx, type RunningNginx } from '../support/nginx.ts';
import { removeDataDir, startTestServer, TestSocket } from '../support/server.ts';

const DEPLOY_MD = join(import.meta.dirname, '..', '..', 'docs', 'deploy.md');

/** The first ```nginx block after the nginx-site marker of docs/deploy.md. */
function documentedSite(): string {
  const text = readFileSync(DEPLOY_MD, 'utf8');
  const m = /<!-- nginx-site[^>]*-->\s*```nginx\n([\s\S]*?)\n```/.exec(text);
  if (!m) throw new Error('docs/deploy.md has no ```nginx block after its <!-- nginx-site --> marker');
  return m[1]!;
}

/** Replaces `pattern` in `text`, exactly `count` times, so a change to the documented block cannot slip past. */
function replaceExactly(text: string, pattern: RegExp, replacement: string, count = 1): string {
  const found = text.match(new RegExp(pattern.source, 'gm'))?.length ?? 0;
  if (found !== count) throw new Error(`docs/deploy.md's nginx block: expected ${count} × ${pattern}, found ${found}`);
  return text.replace(new RegExp(pattern.source, 'gm'), replacement);
}

/** The documented block on this machine's ports, with the test certificate and logs in nginx's temp directory. */
function siteForTest(ports: { bot: number; http: number; https: number }, tls: { cert: string; key: string }, dir: string): string {
  let site = documentedSite();
  site = replaceExactly(site, /server 127\.0\.0\.1:3000;/, `server 127.0.0.1:${ports.bot};`);
  site = replaceExactly(site, /^\s*listen \[::\]:\d+.*;\n/, '', 2);
  site = replaceExactly(site, /listen 80;/, `listen 127.0.0.1:${ports.http};`);
  site = replaceExactly(site, /listen 443 ssl/, `listen 127.0.0.1:${ports.https} ssl`);
  site = replaceExactly(site, /ssl_certificate\s+\S+;/, `ssl_certificate ${tls.cert};`);
  site = replaceExactly(site, /ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${tls.key};`);
  site = replaceExactly(site, /access_log\s+\S+;/, `access_log ${dir}/owari.access.log;`);
  site = replaceExactly(site, /error_log\s+\S+;/, `error_log ${dir}/owari.error.log;`);
  return site;
}

describeWithNginx('behind nginx (docs/deploy.md)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let nginx: RunningNginx;
  let tls: ReturnType<typeof selfSignedCertificate>;
  let ports: { bot: number; http: number; https: number };

  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: 'true', MAX_SOCKETS_PER_IP: '1' });
    tls = selfSignedCertificate();
    ports = { bot: server.port, http: await freePort(), https: await freePort() };
    nginx = await startNginx((dir) => siteForTest(ports, tls, dir), ports.https);
  });
  afterAll(async () => {
    await nginx?.stop();
    await server?.close();
    if (server) removeDataDir(server.dataDir);
    if (tls) rmSync(tls.dir, { recursive: true, force: true });
  });

  const wss = () => `wss://127.0.0.1:${ports.https}/`;
  const open = (from: string, headers: Record<string, string> = {}) => TestSocket.open(wss(), headers, { ca: tls.certPem, localAddress: from });

  it('chats over wss through nginx', async () => {
    const socket = await open('127.0.0.1');
    try {
      const first = await socket.ask({ type: 'hello', lang: 'ja' });
      expect(socket.received[0]).toMatchObject({ type: 'session' });
      expect(first.state).toBe('uses_mail_software');
      const verdict = await socket.ask({ type: 'message', text: 'いいえ' });
      expect(verdict.outcome).toBe('no-change-needed');
    } finally {
      await socket.close();
    }
  });

  it("counts open websockets per client address: nginx passes the client's, not its own", async () => {
    const first = await open('127.0.0.1');
    try {
      // MAX_SOCKETS_PER_IP=1: a second socket from 127.0.0.1 is refused…
      await expect(open('127.0.0.1')).rejects.toThrow(/HTTP 429/);
      // …one from 127.0.0.2 is another client, though both reach the bot from nginx's one address.
      const other = await open('127.0.0.2');
      await other.close();
    } finally {
      await first.close();
    }
  });

  it('does not believe an X-Forwarded-For the client wrote', async () => {
    const first = await open('127.0.0.1');
    try {
      // 127.0.0.1 is full; claiming to be someone else does not help…
      await expect(open('127.0.0.1', { 'x-forwarded-for': '203.0.113.7' })).rejects.toThrow(/HTTP 429/);
      // …and 127.0.0.3 is not counted as the 127.0.0.1 it claims to be.
      const other = await open('127.0.0.3', { 'x-forwarded-for': '127.0.0.1' });
      await other.close();
    } finally {
      await first.close();
    }
  });

  it("passes the webhook through, with the bot's own refusal of a body over 16 KiB", async () => {
    const post = (body: string) =>
      new Promise<{ status: number; json: any }>((resolve, reject) => {
        const req = httpsRequest({ host: '127.0.0.1', port: ports.https, path: '/api/messages', method: 'POST', ca: tls.certPem, headers: { 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, json: JSON.parse(text) }));
        });
        req.once('error', reject);
        req.end(body);
      });
    const hello = await post(JSON.stringify({ type: 'hello' }));
    expect(hello.status).toBe(200);
    expect(hello.json[0]).toMatchObject({ type: 'session' });
    const big = await post(JSON.stringify({ type: 'message', text: 'あ'.repeat(8000) }));
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ type: 'error', code: 'too_long' });
  });

  it('sends plain http to https', async () => {
    const res = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
      httpRequest({ host: '127.0.0.1', port: ports.http, path: '/chat', headers: { host: 'chat.owari.ne.jp' } }, (r) => {
        r.resume();
        resolve({ status: r.statusCode!, location: r.headers.location });
      })
        .once('error', reject)
        .end();
    });
    expect(res).toEqual({ status: 301, location: 'https://chat.owari.ne.jp/chat' });
  });
});
