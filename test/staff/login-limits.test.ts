/**
 * Failed staff logins are counted per client IP and per user name: after LOGIN_FAILURES_PER_IP (5) failures from
 * one IP, or LOGIN_FAILURES_PER_USER (10) for one user name, within LOGIN_WINDOW_SECONDS, every attempt is 429
 * with Retry-After — right credentials too — until the window ends. Each failure is logged at warn without the
 * secret. STAFF_PASSWORD is 12 characters or more.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { requireStaff } from '../../src/staff/auth.ts';
import { createLoginGuard, LOGIN_FAILURES_PER_IP, LOGIN_FAILURES_PER_USER, LOGIN_WINDOW_SECONDS } from '../../src/staff/login-guard.ts';
import { memoryRateLimiters } from '../../src/rate-limit.ts';
import { basic, bearer, PASSWORD, startStaffServer, staffGet, TOKEN, USER, type TestServer } from './helpers.ts';

let nextIp = 1;
const freshIp = () => `203.0.113.${nextIp++}`;
const from = (ip: string, headers: Record<string, string>) => ({ ...headers, 'x-forwarded-for': ip });

describe('staff login limits', () => {
  // A server per test: the user name's failures add up across tests otherwise.
  let server: TestServer;
  beforeEach(async () => {
    server = await startStaffServer({ TRUST_PROXY: 'true' });
  });
  afterEach(() => server.stop());

  it('are 5 failures per IP and 10 per user name in 15 minutes', () => {
    expect([LOGIN_FAILURES_PER_IP, LOGIN_FAILURES_PER_USER, LOGIN_WINDOW_SECONDS]).toEqual([5, 10, 900]);
  });

  it('after 5 wrong passwords from one IP: 429 with Retry-After, the right password included; other IPs get in', async () => {
    const ip = freshIp();
    for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++) {
      expect((await staffGet(server.url, '/staff', from(ip, basic(USER, `wrong ${i}`)))).status).toBe(401);
    }
    for (const headers of [basic(USER, 'wrong again'), basic(), bearer]) {
      const refused = await staffGet(server.url, '/staff/api/stats', from(ip, headers));
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(LOGIN_WINDOW_SECONDS);
      expect(refused.headers.get('cache-control')).toBe('no-store');
    }
    expect((await staffGet(server.url, '/staff/api/stats', from(freshIp(), basic()))).status).toBe(200);
  });

  it('wrong Bearer tokens count per IP too', async () => {
    const ip = freshIp();
    for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++) {
      expect((await staffGet(server.url, '/staff/api/stats', from(ip, { authorization: `Bearer ${TOKEN}${i}` }))).status).toBe(401);
    }
    expect((await staffGet(server.url, '/staff/api/stats', from(ip, bearer))).status).toBe(429);
    expect((await staffGet(server.url, '/staff/api/stats', from(freshIp(), bearer))).status).toBe(200);
  });

  it('a success clears that IP\'s failures', async () => {
    const ip = freshIp();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < LOGIN_FAILURES_PER_IP - 1; i++) {
        expect((await staffGet(server.url, '/staff', from(ip, basic(USER, 'typo')))).status).toBe(401);
      }
      expect((await staffGet(server.url, '/staff', from(ip, basic()))).status).toBe(200);
    }
  });

  it('a browser\'s first request without credentials is not a failure', async () => {
    const ip = freshIp();
    for (let i = 0; i < LOGIN_FAILURES_PER_IP + 2; i++) expect((await staffGet(server.url, '/staff', from(ip, {}))).status).toBe(401);
    expect((await staffGet(server.url, '/staff', from(ip, basic()))).status).toBe(200);
  });
});

describe('staff login limits per user name', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startStaffServer({ TRUST_PROXY: 'true' });
  });
  afterAll(() => server.stop());

  it('10 failures for one user name from many IPs block that name everywhere; other names and the token still work', async () => {
    for (let i = 0; i < LOGIN_FAILURES_PER_USER; i++) {
      expect((await staffGet(server.url, '/staff', from(freshIp(), basic(USER, `guess ${i}`)))).status).toBe(401);
    }
    const refused = await staffGet(server.url, '/staff', from(freshIp(), basic()));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await staffGet(server.url, '/staff', from(freshIp(), basic('someone-else', PASSWORD)))).status).toBe(401);
    expect((await staffGet(server.url, '/staff/api/stats', from(freshIp(), bearer))).status).toBe(200);
  });
});

/** requireStaff on its own, with a short window and a logger whose lines the test reads. */
async function guardedApp(windowSeconds: number) {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _enc, done) {
        raw.push(chunk.toString());
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    }),
  );
  const guard = createLoginGuard({ limiters: memoryRateLimiters, windowSeconds });
  const app = express();
  app.use('/staff', requireStaff({ token: TOKEN, user: USER, password: PASSWORD }, { guard, log }), (_req, res) => void res.json({ ok: true }));
  const listening = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => listening.once('listening', resolve));
  const url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  return { url, lines, raw, close: () => new Promise((resolve) => listening.close(resolve)) };
}

describe('requireStaff', () => {
  it('logs every failure at warn with IP, user and scheme, never the password, the token or the header', async () => {
    const app = await guardedApp(LOGIN_WINDOW_SECONDS);
    try {
      const secretPassword = 'hunter2-but-longer';
      expect((await staffGet(app.url, '/staff', basic(USER, secretPassword))).status).toBe(401);
      expect((await staffGet(app.url, '/staff', { authorization: `Bearer not-the-${TOKEN}` })).status).toBe(401);
      expect((await staffGet(app.url, '/staff', basic())).status).toBe(200);
      expect(app.lines).toHaveLength(2);
      expect(app.lines[0]).toMatchObject({ level: 40, ip: '127.0.0.1', user: USER, scheme: 'basic', msg: 'staff login failed' });
      expect(app.lines[1]).toMatchObject({ level: 40, ip: '127.0.0.1', scheme: 'bearer', msg: 'staff login failed' });
      const written = app.raw.join('');
      for (const secret of [secretPassword, TOKEN, PASSWORD, Buffer.from(`${USER}:${secretPassword}`).toString('base64')]) {
        expect(written).not.toContain(secret);
      }
    } finally {
      await app.close();
    }
  });

  it('a blocked IP is refused, right credentials too, until the window has passed; then it gets in', async () => {
    const app = await guardedApp(1);
    try {
      for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++) expect((await staffGet(app.url, '/staff', basic(USER, 'nope'))).status).toBe(401);
      const refused = await staffGet(app.url, '/staff', basic());
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('1');
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await staffGet(app.url, '/staff', basic())).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('STAFF_PASSWORD', () => {
  it('must be 12 characters or more, and says so', () => {
    let error: unknown;
    try {
      loadConfig({ STAFF_USER: USER, STAFF_PASSWORD: 'elevenchars' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/STAFF_PASSWORD: must be at least 12 characters/);
    expect(loadConfig({ STAFF_USER: USER, STAFF_PASSWORD: 'twelve chars' }).staff.password).toBe('twelve chars');
  });
});
