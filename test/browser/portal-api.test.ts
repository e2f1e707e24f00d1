/**
 * The helpdesk portal's API in Chromium: OwariChat.identify() brings the logged-in customer to staff; OwariChat.reset(),
 * the portal's logout, leaves nothing the customer typed in the browser and greets anew.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { describeWithChromium, launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { botTexts, ready, startWorld, userTexts, W, type World } from './harness.ts';
import { identityHash } from '../../src/channels/identity.ts';

const PORTAL_SECRET = 'portal-secret-for-the-browser-tests-0123456789';
const STAFF_TOKEN = 'staff-token-for-the-browser-tests';

const TYPED = 'ログアウト前の相談 taro@example.jp';
const UNSENT = '送らなかった下書き';

/** Every value the page keeps in localStorage and sessionStorage, joined. */
const storedText = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const all: string[] = [];
    for (const s of [localStorage, sessionStorage]) for (let i = 0; i < s.length; i++) all.push(`${s.key(i)}=${s.getItem(s.key(i)!)}`);
    return all.join('\n');
  });

describeWithChromium('the portal API (identify, reset) in Chromium', () => {
  let world: World;
  let chromium: LaunchedChromium;
  beforeAll(async () => {
    [world, chromium] = await Promise.all([startWorld({ PORTAL_IDENTITY_SECRET: PORTAL_SECRET, STAFF_TOKEN }), launchChromium()]);
  }, 60_000);
  afterAll(async () => {
    await chromium?.close();
    await world?.close();
  });

  it('identify() before the chat opens: staff see the customer with the transcript; the browser keeps no identity', async () => {
    const context = await chromium.browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${world.bot.url}/`);
    await ready(page);
    const hash = identityHash(PORTAL_SECRET, 'portal-user-77');
    await page.evaluate((h) => {
      const api = (window as unknown as { OwariChat: { identify(i: unknown): void; open(): void } }).OwariChat;
      api.identify({ id: 'portal-user-77', email: 'jiro@example.jp', name: '尾張 次郎', hash: h });
      api.open();
    }, hash);
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    const input = page.locator(`${W} input`);
    await input.fill('担当者と話したい');
    await input.press('Enter');
    await page.waitForFunction(() => /OW-[A-Z0-9]{4}-\d{2}/.test(document.querySelector('owari-chat')!.shadowRoot!.textContent ?? ''));
    const reference = /OW-[A-Z0-9]{4}-\d{2}/.exec((await botTexts(page)).join('\n'))![0];
    let customer: unknown;
    for (let i = 0; i < 50 && !customer; i++) {
      const res = await fetch(`${world.bot.url}/staff/api/conversations/${reference}`, { headers: { authorization: `Bearer ${STAFF_TOKEN}` } });
      if (res.ok) customer = ((await res.json()) as { customer: unknown }).customer;
      if (!customer) await new Promise((r) => setTimeout(r, 100));
    }
    expect(customer).toEqual({ id: 'portal-user-77', email: 'jiro@example.jp', name: '尾張 次郎' });
    const stored = await storedText(page);
    expect(stored).not.toContain(hash);
    expect(stored).not.toContain('jiro@example.jp');
    await context.close();
  });

  it('reset() forgets the conversation and what was typed, and shows a new greeting', async () => {
    const context = await chromium.browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${world.bot.url}/`);
    await ready(page);
    await page.evaluate(() => (window as unknown as { OwariChat: { open(): void } }).OwariChat.open());
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    const greeting = (await botTexts(page))[0]!;

    const input = page.locator(`${W} input`);
    await input.fill(TYPED);
    await input.press('Enter');
    await page.waitForFunction((n) => document.querySelector('owari-chat')!.shadowRoot!.querySelectorAll('.msg.bot').length > n, 1);
    await input.fill(UNSENT);
    const before = await storedText(page);
    expect(before).toContain(TYPED); // the transcript is kept for reloads until the portal resets it
    const oldSession = /"user":"([^"]+)"/.exec(before)![1];

    await page.evaluate(() => (window as unknown as { OwariChat: { reset(): void } }).OwariChat.reset());
    await page.waitForFunction(() => document.querySelector('owari-chat')!.shadowRoot!.querySelectorAll('.msg.bot').length === 1);
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    expect(await botTexts(page)).toEqual([greeting]);
    expect(await userTexts(page)).toEqual([]);
    expect(await input.inputValue()).toBe('');

    const after = await storedText(page);
    expect(after).not.toContain('ログアウト前');
    expect(after).not.toContain('taro@example.jp');
    expect(after).not.toContain(UNSENT);
    expect(after).not.toContain(oldSession); // a new conversation, not the old one resumed
    expect(after).toMatch(/"user":"[^"]+"/);

    // After a reload the old conversation does not come back either.
    await page.reload();
    await ready(page);
    await page.evaluate(() => (window as unknown as { OwariChat: { open(): void } }).OwariChat.open());
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    expect(await userTexts(page)).toEqual([]);
    await context.close();
  });
});
