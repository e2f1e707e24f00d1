/** Every /staff route needs Bearer STAFF_TOKEN or Basic STAFF_USER/STAFF_PASSWORD; without configuration there is no /staff. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAuthorized } from '../../src/staff/auth.ts';
import { basic, bearer, startStaffServer, staffGet, TOKEN, type TestServer } from './helpers.ts';

const routes = ['/staff', '/staff/api/stats', '/staff/api/stats.csv', '/staff/api/conversations/OW-7K3Q-92', '/staff/conversations/OW-7K3Q-92', '/staff/flow'];

describe('staff authentication', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Each route's wrong attempts come from an address of its own (TRUST_PROXY), so none reaches the login limits.
    server = await startStaffServer({ TRUST_PROXY: 'true' });
  });
  afterAll(() => server.stop());

  for (const [i, route] of routes.entries()) {
    it(`${route}: 401 without credentials, with a wrong token, a wrong password or a wrong user`, async () => {
      for (const [j, headers] of [{}, { authorization: `Bearer ${TOKEN}x` }, { authorization: 'Bearer ' }, basic('support', 'wrong password'), basic('nobody'), { authorization: 'Basic !!!' }, { authorization: TOKEN }].entries()) {
        const res = await staffGet(server.url, route, { ...(headers as Record<string, string>), 'x-forwarded-for': `192.0.2.${i * 10 + j + 1}` });
        expect(res.status, JSON.stringify(headers)).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    });
  }

  it('lets the right token and the right user/password in', async () => {
    expect((await staffGet(server.url, '/staff/api/stats', bearer)).status).toBe(200);
    expect((await staffGet(server.url, '/staff', basic())).status).toBe(200);
    expect((await staffGet(server.url, '/staff/api/conversations/OW-7K3Q-92', bearer)).status).toBe(404);
  });

  it('a DELETE without credentials is refused before anything is erased', async () => {
    const res = await fetch(`${server.url}/staff/api/conversations/OW-7K3Q-92`, { method: 'DELETE' });
    expect(res.status).toBe(401);
  });
});

describe('staff routes without configured credentials', () => {
  it('are not there at all (404), while the chat works', async () => {
    const server = await startStaffServer({ STAFF_TOKEN: '', STAFF_USER: '', STAFF_PASSWORD: '' });
    try {
      expect((await staffGet(server.url, '/staff', bearer)).status).toBe(404);
      expect((await staffGet(server.url, '/staff/api/stats', basic())).status).toBe(404);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('token only: Basic is not accepted, the challenge is Bearer', async () => {
    const server = await startStaffServer({ STAFF_USER: '', STAFF_PASSWORD: '' });
    try {
      const res = await staffGet(server.url, '/staff', basic());
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await staffGet(server.url, '/staff', bearer)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('isAuthorized', () => {
  const creds = { token: TOKEN, user: 'support', password: 'pass:with:colons' };
  it('accepts exact credentials only', () => {
    expect(isAuthorized(`Bearer ${TOKEN}`, creds)).toBe(true);
    expect(isAuthorized(`bearer ${TOKEN}`, creds)).toBe(true);
    expect(isAuthorized(`Bearer ${TOKEN.slice(0, -1)}`, creds)).toBe(false);
    expect(isAuthorized(`Basic ${Buffer.from('support:pass:with:colons').toString('base64')}`, creds)).toBe(true);
    expect(isAuthorized(`Basic ${Buffer.from('support:pass:with').toString('base64')}`, creds)).toBe(false);
    expect(isAuthorized(`Basic ${Buffer.from('Support:pass:with:colons').toString('base64')}`, creds)).toBe(false);
    expect(isAuthorized(undefined, creds)).toBe(false);
    expect(isAuthorized(`Bearer ${TOKEN}`, {})).toBe(false);
  });
});
