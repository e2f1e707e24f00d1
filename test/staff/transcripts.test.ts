/**
 * Scripted conversations over the real webhook → the staff statistics, transcripts by reference, masking
 * of what customers type, and erasing by reference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, bearer, Customer, eventually, startStaffServer, staffGet, type TestServer } from './helpers.ts';

let server: TestServer;
const customers: Record<string, Customer> = {};

async function customer(name: string, ...texts: string[]): Promise<Customer> {
  const c = new Customer(server.url);
  await c.hello();
  if (texts.length) await c.say(...texts);
  customers[name] = c;
  return c;
}

const stats = async (query = '') => (await (await staffGet(server.url, `/staff/api/stats${query}`)).json()) as any;

beforeAll(async () => {
  server = await startStaffServer();
  await customer('owariThunderbird', 'はい', 'はい', 'はい', 'Windows', 'Thunderbird');
  await customer('webmail', 'いいえ');
  await customer('otherNetwork', 'はい', 'いいえ');
  await customer('otherAddress', 'はい', 'はい', 'いいえ');
  await customer('leftAtQ2', 'はい');
  await customer('leftAtQ3', 'はい', 'はい');
  await customer('leftAtQ1');
  await customer('leftAtOs', 'はい', 'はい', 'はい', 'ふがふが');
  await customer('leftAtClient', 'はい', 'はい', 'taro.yamada@owari.ne.jp です', '0x800CCC0E が出ます', 'Mac', 'ぴよぴよ 電話は 090-1234-5678 です');
  // Events are written in order, in batches: once the last customer's last message (not understood) is counted, all are.
  await eventually(stats, (s) => s.conversations === 9 && s.notUnderstood.length === 2);
});
afterAll(() => server.stop());

describe('statistics of scripted conversations', () => {
  it('counts conversations and the verdicts they reached', async () => {
    const s = await stats();
    expect(s.conversations).toBe(9);
    expect(s.outcomes).toEqual({
      'no-change-needed': 1,
      'change-recommended': 1,
      'change-required-other-provider': 1,
      'change-required-owari': 3,
    });
    expect(s.perDay).toHaveLength(1);
    expect(s.perDay[0].conversations).toBe(9);
  });

  it('shows where customers gave up: reached / ended there without a verdict, per question and choice', async () => {
    const s = await stats();
    const funnel = Object.fromEntries(s.funnel.map((f: any) => [f.id, [f.reached, f.ended]]));
    expect(funnel).toEqual({ q1: [9, 1], q2: [7, 1], q3: [5, 1], os: [3, 1], client: [2, 1] });
  });

  it('counts mail clients, error numbers, and lists what was not understood (masked)', async () => {
    const s = await stats();
    expect(s.clients).toEqual({ thunderbird: 1 });
    expect(s.errorCodes).toEqual({ '0x800CCC0E': 1 });
    expect(s.notUnderstood.map((n: any) => n.text).sort()).toEqual(['ぴよぴよ 電話は [電話番号] です', 'ふがふが'].sort());
    expect(s.handoffs).toBe(0);
  });

  it('filters by date range (Japan time days)', async () => {
    const past = await stats('?from=2020-01-01&to=2020-01-31');
    expect(past.conversations).toBe(0);
    expect(past.outcomes['change-required-owari']).toBe(0);
    expect((await staffGet(server.url, '/staff/api/stats?from=2020-02-31')).status).toBe(400);
    expect((await staffGet(server.url, '/staff/api/stats?from=2020-02-01&to=2020-01-01')).status).toBe(400);
  });

  it('exports the same numbers as CSV', async () => {
    const res = await staffGet(server.url, '/staff/api/stats.csv');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?owari-support-stats-/);
    const csv = await res.text();
    expect(csv).toContain('"outcome","change-required-owari",3,""');
    expect(csv).toContain('"funnel","q2",7,1');
    expect(csv).toContain('"client","thunderbird",1,""');
  });

  it('renders the dashboard as one small page without scripts', async () => {
    const res = await staffGet(server.url, '/staff', basic());
    const html = await res.text();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('変更が必要（尾張アドレス）');
    expect(html).toContain('ふがふが');
    expect(html).toContain('Thunderbird');
    expect(html.length).toBeLessThan(30_000);
  });
});

describe('the reference number', () => {
  it('is told to the customer with every verdict', () => {
    for (const name of ['owariThunderbird', 'webmail', 'otherNetwork', 'otherAddress']) {
      const c = customers[name]!;
      const verdict = c.replies.flat().find((m) => m.outcome)!;
      expect(verdict.text).toMatch(/受付番号：OW-[A-Z0-9]{4}-\d\d\nお問い合わせの際はこの番号をお伝えください。/);
    }
  });

  it('finds the conversation: every turn with customer text, bot reply, step and time, language, outcome', async () => {
    const c = customers.owariThunderbird!;
    const res = await staffGet(server.url, `/staff/api/conversations/${c.reference}`);
    expect(res.status).toBe(200);
    const tr = (await res.json()) as any;
    expect(tr.reference).toBe(c.reference);
    expect(tr.lang).toBe('ja');
    expect(tr.outcomes).toEqual(['change-required-owari']);
    expect(tr.turns.map((t: any) => t.input)).toEqual([undefined, 'はい', 'はい', 'はい', 'Windows', 'Thunderbird']);
    expect(tr.turns.map((t: any) => t.to)).toEqual(['uses_mail_software', 'connects_via_owari', 'uses_owari_address', 'change_required_owari', 'choose_client_windows', 'settings']);
    expect(tr.turns[0].reply).toContain('【質問1】');
    for (const t of tr.turns) expect(Date.parse(t.at)).toBeGreaterThan(0);
    expect(JSON.stringify(tr)).not.toContain(c.user!); // the session id is never shown
  });

  it('is found however staff type it, and shows a page', async () => {
    const c = customers.otherAddress!;
    const typed = c.reference!.toLowerCase().replace(/-/g, ' ');
    const res = await staffGet(server.url, `/staff/conversations?reference=${encodeURIComponent(typed)}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/staff/conversations/${c.reference}?lang=ja`);
    const page = await (await staffGet(server.url, `/staff/conversations/${c.reference}`, basic())).text();
    expect(page).toContain(c.reference);
    expect(page).toContain('変更が必要（他社アドレス）');
    expect(page).not.toMatch(/<script/i);
    expect((await staffGet(server.url, '/staff/api/conversations/OW-AAAA-00')).status).toBe(404);
    expect((await staffGet(server.url, '/staff/api/conversations/not-a-reference')).status).toBe(400);
  });

  it('escapes what customers typed on the staff pages', async () => {
    const c = await customer('xss', '<img src=x onerror=alert(1)>"\'&');
    await c.say('担当者と話したい');
    const ref = c.reference!;
    await eventually(() => staffGet(server.url, `/staff/api/conversations/${ref}`).then((r) => r.json()), (t: any) => t.turns?.length === 3);
    const page = await (await staffGet(server.url, `/staff/conversations/${ref}`)).text();
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;');
  });
});

describe('masking before storing', () => {
  it('never stores the mail address or the phone number a customer typed, nor the account name the bot repeats', async () => {
    const c = customers.leftAtClient!;
    const tr = (await (await staffGet(server.url, `/staff/api/conversations/${c.reference}`)).json()) as any;
    const inputs = tr.turns.map((t: any) => t.input).filter(Boolean);
    expect(inputs).toContain('[メールアドレス] です');
    expect(inputs).toContain('ぴよぴよ 電話は [電話番号] です');
    expect(inputs).toContain('0x800CCC0E が出ます'); // error numbers stay readable
    const all = JSON.stringify(tr);
    expect(all).not.toMatch(/taro|yamada|090-1234-5678/);
  });

  it('the database files hold no trace of them either', async () => {
    const files = readdirSync(server.dataDir).filter((f) => f.startsWith('staff.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(join(server.dataDir, f)).toString('utf8');
      expect(bytes).not.toContain('taro.yamada');
      expect(bytes).not.toContain('090-1234-5678');
    }
  });
});

describe('erasing a conversation by reference', () => {
  it('DELETE removes its transcript; it is gone from the statistics', async () => {
    const c = customers.webmail!;
    const before = await stats();
    const del = await fetch(`${server.url}/staff/api/conversations/${c.reference}`, { method: 'DELETE', headers: bearer });
    expect(del.status).toBe(204);
    expect((await staffGet(server.url, `/staff/api/conversations/${c.reference}`)).status).toBe(404);
    expect((await fetch(`${server.url}/staff/api/conversations/${c.reference}`, { method: 'DELETE', headers: bearer })).status).toBe(404);
    const after = await stats();
    expect(after.conversations).toBe(before.conversations - 1);
    expect(after.outcomes['no-change-needed']).toBe(0);
  });

  it('the page button works same-origin and is refused cross-site', async () => {
    const c = customers.otherNetwork!;
    const url = `${server.url}/staff/conversations/${c.reference}/erase`;
    const cross = await fetch(url, { method: 'POST', headers: { ...basic(), origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, redirect: 'manual' });
    expect(cross.status).toBe(403);
    expect((await staffGet(server.url, `/staff/api/conversations/${c.reference}`)).status).toBe(200);
    const same = await fetch(url, { method: 'POST', headers: { ...basic(), 'sec-fetch-site': 'same-origin' }, redirect: 'manual' });
    expect(same.status).toBe(303);
    expect((await staffGet(server.url, `/staff/api/conversations/${c.reference}`)).status).toBe(404);
  });

  it('a request whose Origin is null or malformed is refused with 403, the form and the API alike', async () => {
    const c = customers.otherAddress!;
    const api = `${server.url}/staff/api/conversations/${c.reference}`;
    const form = `${server.url}/staff/conversations/${c.reference}/erase`;
    for (const origin of ['null', 'not a url', 'http://[bad', 'https://evil.example']) {
      const deleted = await fetch(api, { method: 'DELETE', headers: { ...bearer, origin } });
      expect(deleted.status, `DELETE with Origin ${origin}`).toBe(403);
      const posted = await fetch(form, { method: 'POST', headers: { ...basic(), origin }, redirect: 'manual' });
      expect(posted.status, `POST with Origin ${origin}`).toBe(403);
    }
    const crossSite = await fetch(api, { method: 'DELETE', headers: { ...bearer, 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect((await staffGet(server.url, `/staff/api/conversations/${c.reference}`)).status).toBe(200);
  });

  it('erasing also forgets the live conversation: the customer starts afresh', async () => {
    const c = customers.otherAddress!;
    const resume = async () =>
      (await (await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'welcome_back', user: c.user }) })).json()) as { type: string; state?: string }[];
    expect((await resume())[0]!.state).toBe('change_required_other_provider');
    const erased = await fetch(`${server.url}/staff/api/conversations/${c.reference}`, { method: 'DELETE', headers: bearer });
    expect(erased.status).toBe(204);
    const after = await resume();
    expect(after[0]!.type).toBe('session');
    expect(after[1]!.state).toBe('uses_mail_software');
  });
});
