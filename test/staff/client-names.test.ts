/** The dashboard names the mail clients customers chose in the language the page is read in. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, Customer, eventually, startStaffServer, staffGet, type TestServer } from './helpers.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startStaffServer();
  const customer = new Customer(server.url);
  await customer.hello();
  await customer.say('はい', 'はい', 'はい', 'Windows', 'windows_live_mail');
  await eventually(async () => (await (await staffGet(server.url, '/staff/api/stats')).json()) as any, (s) => s.clients?.windows_live_mail === 1);
});
afterAll(() => server.stop());

describe('mail client names on /staff', () => {
  it('Japanese page: the Japanese name; English page: the English name', async () => {
    const ja = await (await staffGet(server.url, '/staff?lang=ja', basic())).text();
    const en = await (await staffGet(server.url, '/staff?lang=en', basic())).text();
    expect(ja).toContain('Windows Live メール');
    expect(en).toContain('Windows Live Mail');
    expect(en).not.toContain('Windows Live メール');
  });
});
