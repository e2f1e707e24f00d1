/**
 * The widget in Debian's Chromium against the real bot server: the four outcomes, XSS, IME, resume, axe,
 * cross-origin embedding (allowed and refused), keyboard use, phone layout and the README screenshots.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createRequire } from 'node:module';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithChromium, launchChromium, type LaunchedChromium } from '../support/chromium.ts';
import { botTexts, choose, events, ready, recordEvents, startWorld, userTexts, W, type World } from './harness.ts';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

describeWithChromium('web chat widget in Chromium', () => {
  let world: World;
  let chromium: LaunchedChromium;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [world, chromium] = await Promise.all([startWorld(), launchChromium()]);
    browser = chromium.browser;
  }, 60_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await chromium?.close();
    await world?.close();
  });

  async function newPage(opts: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
    const ctx = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1280, height: 800 }, ...opts });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => {
      throw new Error(`page error: ${e.message}`);
    });
    return page;
  }

  async function openOnSupportSite(page: Page): Promise<void> {
    await page.goto(`${world.bot.url}/`);
    await ready(page);
    await recordEvents(page);
    await page.evaluate(() => (window as unknown as { OwariChat: { open(): void } }).OwariChat.open());
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
  }

  const outcomes: [string, RegExp[]][] = [
    ['no-change-needed', [/^いいえ/]],
    ['change-recommended', [/^はい/, /^いいえ/]],
    ['change-required-other-provider', [/^はい/, /^はい/, /^いいえ/]],
    ['change-required-owari', [/^はい/, /^はい/, /^はい/, /^Windows$/, /Thunderbird/]],
  ];

  for (const [outcome, clicks] of outcomes) {
    it(`clicks through to "${outcome}"`, async () => {
      const page = await newPage();
      await openOnSupportSite(page);
      for (const title of clicks) await choose(page, title);
      await page.waitForFunction(
        (o) => (window as unknown as { __events: { event: string; detail: { outcome?: string } }[] }).__events.some((e) => e.event === 'outcome' && e.detail.outcome === o),
        outcome,
      );
      const evs = await events(page);
      expect(evs.filter((e) => e.event === 'outcome').map((e) => e.detail.outcome)).toEqual([outcome]);
      expect(evs[0]?.event).toBe('open');
      if (outcome === 'change-required-owari') {
        const link = page.locator(`${W} .msg.bot .lbtn`).last();
        await link.waitFor();
        expect(await link.getAttribute('href')).toMatch(/^https?:\/\/.+thunderbird/i);
        expect(await link.getAttribute('target')).toBe('_blank');
        expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
        expect(await link.textContent()).toMatch(/Thunderbird/);
      }
    });
  }

  it('shows typed markup as text and runs nothing', async () => {
    const page = await newPage();
    await openOnSupportSite(page);
    const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
    const input = page.locator(`${W} input`);
    await input.fill(evil);
    await input.press('Enter');
    await page.waitForFunction(() => {
      const root = document.querySelector('owari-chat')?.shadowRoot;
      return (root?.querySelectorAll('.msg.bot').length ?? 0) >= 2;
    });
    await page.waitForTimeout(300);
    expect(await userTexts(page)).toContain(`あなた: ${evil}`);
    const counts = await page.evaluate(() => {
      const root = document.querySelector('owari-chat')!.shadowRoot!;
      return {
        img: document.querySelectorAll('img').length + root.querySelectorAll('img').length,
        script: root.querySelectorAll('script').length,
        xss: (window as unknown as { __xss?: number }).__xss ?? null,
      };
    });
    expect(counts).toEqual({ img: 0, script: 0, xss: null });
  });

  it('does not send on Enter while composing Japanese (IME), and sends on the next Enter', async () => {
    const page = await newPage();
    await openOnSupportSite(page);
    const input = page.locator(`${W} input`);
    await input.focus();
    const before = (await userTexts(page)).length;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'はい', selectionStart: 2, selectionEnd: 2 });
    // Enter confirms the conversion: keydown arrives with isComposing / keyCode 229, then compositionend.
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229 });
    await cdp.send('Input.insertText', { text: 'はい' });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
    await page.waitForTimeout(200);
    expect(await input.inputValue()).toBe('はい');
    expect((await userTexts(page)).length).toBe(before);

    // Safari's order (compositionend, then keydown Enter with isComposing false), and keyCode 229 alone.
    const sentSynthetic = await page.evaluate(() => {
      const el = document.querySelector('owari-chat')!.shadowRoot!.querySelector('input')!;
      el.dispatchEvent(new CompositionEvent('compositionstart'));
      el.dispatchEvent(new CompositionEvent('compositionend', { data: 'はい' }));
      const safari = new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13, bubbles: true, cancelable: true });
      el.dispatchEvent(safari);
      const legacy = new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true });
      el.dispatchEvent(legacy);
      return safari.defaultPrevented || legacy.defaultPrevented;
    });
    expect(sentSynthetic).toBe(false);
    await page.waitForTimeout(200);
    expect((await userTexts(page)).length).toBe(before);

    await input.press('Enter');
    await page.waitForFunction((n) => document.querySelector('owari-chat')!.shadowRoot!.querySelectorAll('.msg.user').length > n, before);
    expect((await userTexts(page)).at(-1)).toBe('あなた: はい');
    expect(await input.inputValue()).toBe('');
  });

  it('resumes the conversation after a reload (welcome_back, history shown again, no duplicate question)', async () => {
    const page = await newPage();
    const sent: string[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
    await openOnSupportSite(page);
    await choose(page, /^はい/);
    await page.locator(`${W} .msg.bot`).nth(1).waitFor();
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    const before = await botTexts(page);
    const user = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('owari-chat:'))!;
      return (JSON.parse(localStorage.getItem(key)!) as { user: string }).user;
    });
    expect(user).toBeTruthy();

    await page.reload();
    await ready(page);
    // It was open before the reload, so it opens again by itself, with the transcript.
    await page.locator(`${W} .panel:not([hidden])`).waitFor();
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    await page.waitForTimeout(300);
    expect(sent.map((s) => JSON.parse(s) as { type: string; user?: string }).filter((f) => f.type === 'welcome_back')).toEqual([
      expect.objectContaining({ type: 'welcome_back', user }),
    ]);
    // The transcript is back; the server greets the customer again and repeats the open question (once).
    const after = await botTexts(page);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBeLessThanOrEqual(before.length + 1);
    expect(after.at(-1)).toContain(before.at(-1)!.replace(/^サポート: /, ''));
    expect(await page.locator(`${W} .msg.note`).count()).toBe(0);

    // …and goes on from the second question: はい, はい → the Owari verdict.
    await recordEvents(page);
    await choose(page, /^はい/);
    await choose(page, /^はい/);
    await page.locator(`${W} .qr:not([aria-disabled])`, { hasText: /^Windows$/ }).waitFor();
  });

  it('starts a new conversation, and says so, when the stored id is not one the server issued', async () => {
    const page = await newPage();
    await openOnSupportSite(page);
    await choose(page, /^はい/);
    await page.locator(`${W} .msg.bot`).nth(1).waitFor();
    await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('owari-chat:'))!;
      const saved = JSON.parse(localStorage.getItem(key)!) as { user: string };
      localStorage.setItem(key, JSON.stringify({ ...saved, user: 'forged-or-expired-id' }));
    });
    await page.reload();
    await ready(page);
    await page.locator(`${W} .msg.note`, { hasText: '新しい会話を始めました' }).waitFor();
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    expect((await botTexts(page)).at(-1)).toMatch(/質問1/);
    const user = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('owari-chat:'))!;
      return (JSON.parse(localStorage.getItem(key)!) as { user: string }).user;
    });
    expect(user).not.toBe('forged-or-expired-id');
  });

  it('resumes on another page of the same site (the full-page /chat)', async () => {
    const page = await newPage();
    await openOnSupportSite(page);
    await choose(page, /^はい/);
    await page.locator(`${W} .msg.bot`).nth(1).waitFor();
    const before = await botTexts(page);
    await page.goto(`${world.bot.url}/chat`);
    await ready(page);
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    await page.waitForTimeout(300);
    expect((await botTexts(page)).slice(0, before.length)).toEqual(before);
    expect(await page.locator(`${W} .launcher`).count()).toBe(0);
  });

  it('has no axe-core violations with the widget open (bubble and full page, ja and en)', async () => {
    const page = await newPage({ bypassCSP: true });
    const check = async (where: string) => {
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: unknown }[] }[] }> } }).axe;
        const r = await axe.run({ include: [['owari-chat']] }, { resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id}: ${v.help} @ ${JSON.stringify(v.nodes.map((n) => n.target))}`);
      });
      expect(result, where).toEqual([]);
    };
    await openOnSupportSite(page);
    await choose(page, /^はい/);
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    await check('bubble, ja');
    await page.locator(`${W} .head button`, { hasText: 'English' }).click();
    await page.locator(`${W} .qr:not([aria-disabled])`, { hasText: /^Yes/ }).first().waitFor();
    await check('bubble, en');
    await page.goto(`${world.bot.url}/chat`);
    await ready(page);
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    await check('page');
  });

  it('switches language: UI strings and the conversation', async () => {
    const page = await newPage();
    await openOnSupportSite(page);
    expect(await page.locator(`${W} .send`).getAttribute('aria-label')).toBe('送信');
    await page.locator(`${W} .head button`, { hasText: 'English' }).click();
    expect(await page.locator(`${W} .send`).getAttribute('aria-label')).toBe('Send');
    expect(await page.locator(`${W} .root`).getAttribute('lang')).toBe('en');
    await page.locator(`${W} .qr:not([aria-disabled])`, { hasText: /^Yes/ }).first().waitFor();
    await page.evaluate(() => (window as unknown as { OwariChat: { setLanguage(l: string): void } }).OwariChat.setLanguage('ja'));
    await page.locator(`${W} .qr:not([aria-disabled])`, { hasText: /^はい/ }).first().waitFor();
  });

  it('works with the keyboard alone; Escape closes and focus returns to the launcher', async () => {
    const page = await newPage();
    await page.goto(`${world.bot.url}/`);
    await ready(page);
    const focused = () => page.evaluate(() => {
      const a = document.activeElement;
      const inner = a?.shadowRoot?.activeElement;
      return inner ? `${a!.tagName.toLowerCase()} ${inner.tagName.toLowerCase()}.${inner.className}` : a?.tagName.toLowerCase();
    });
    // Tab until the launcher has focus (it comes after the page's own links).
    for (let i = 0; i < 20 && (await focused()) !== 'owari-chat button.launcher'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('owari-chat button.launcher');
    expect(await page.locator(`${W} .launcher`).getAttribute('aria-label')).toBe('チャットで相談（メール設定のご案内）');
    await page.keyboard.press('Enter');
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    expect(await focused()).toBe('owari-chat input.');
    // Shift+Tab from the text box goes back to the quick replies; Enter on one answers.
    await page.keyboard.press('Shift+Tab');
    expect(await focused()).toMatch(/button\.qr$/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('owari-chat')!.shadowRoot!.querySelectorAll('.msg.bot').length >= 2);
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    expect(await focused()).toMatch(/button\.qr$/); // focus moved to the next question's answers
    await page.keyboard.press('Escape');
    expect(await page.locator(`${W} .panel`).isHidden()).toBe(true);
    expect(await focused()).toBe('owari-chat button.launcher');
    expect(await page.locator(`${W} .launcher`).getAttribute('aria-expanded')).toBe('false');
  });

  it('fills the screen on a phone and honours prefers-reduced-motion', async () => {
    const page = await newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
    await openOnSupportSite(page);
    const box = await page.locator(`${W} .panel`).boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 375, height: 667 });
    const anim = await page.locator(`${W} .dots i`).first().evaluate((el) => getComputedStyle(el).animationName);
    expect(anim).toBe('none');
  });

  it('chats from a portal on an allowed origin, under a strict CSP and hostile CSS', async () => {
    const page = await newPage();
    await page.goto(`${world.allowed.origin}/`);
    await ready(page);
    const launcher = page.locator(`${W} .launcher`);
    const box = await launcher.boundingBox();
    expect(box && box.width > 40 && box.height > 40).toBe(true);
    expect(await launcher.evaluate((el) => getComputedStyle(el).fontSize)).toBe('15px');
    await launcher.click();
    await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
    await choose(page, /^いいえ/);
    await page.waitForFunction(() =>
      (window as unknown as { __events: { event: string; detail: { outcome?: string } }[] }).__events.some((e) => e.event === 'outcome'),
    );
    const evs = await events(page);
    expect(evs.find((e) => e.event === 'outcome')?.detail.outcome).toBe('no-change-needed');
    expect(evs.some((e) => e.event === 'message' && e.detail.from === 'bot')).toBe(true);
    await page.waitForTimeout(200);
    expect(world.allowed.violations).toEqual([]);
  });

  it('cannot chat from a portal on an origin not in ALLOWED_ORIGINS', async () => {
    const page = await newPage();
    await page.goto(`${world.other.origin}/`);
    await ready(page);
    await page.locator(`${W} .launcher`).click();
    await page.locator(`${W} .status:not([hidden])`).waitFor({ timeout: 5000 });
    expect(await page.locator(`${W} .status`).textContent()).toMatch(/再接続中…|接続できません/);
    await page.waitForTimeout(1000);
    expect(await page.locator(`${W} .msg.bot`).count()).toBe(0);
  });

  it('the server refuses the websocket upgrade from a foreign origin with 403 and answers CORS only for allowed origins', async () => {
    const upgrade = (origin: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(world.bot.url + '/', {
          headers: {
            Connection: 'Upgrade',
            Upgrade: 'websocket',
            Origin: origin,
            'Sec-WebSocket-Version': '13',
            'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
          },
        });
        req.on('upgrade', (_res, socket) => {
          socket.destroy();
          resolve(101);
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await upgrade(world.other.origin)).toBe(403);
    expect(await upgrade(world.allowed.origin)).toBe(101);
    expect(await upgrade(world.bot.url)).toBe(101);

    const preflight = (origin: string) =>
      fetch(`${world.bot.url}/api/messages`, {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
    expect((await preflight(world.allowed.origin)).headers.get('access-control-allow-origin')).toBe(world.allowed.origin);
    expect((await preflight(world.other.origin)).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('shows 再接続中… when the server goes away, reconnects with backoff and resumes the conversation', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'owari-reconnect-'));
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = String((probe.address() as AddressInfo).port);
    await new Promise((r) => probe.close(r));
    const { startServer } = await import('../../src/server.ts');
    const env = { PORT: port, HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    let server = await startServer({ env });
    try {
      const page = await newPage();
      const sent: string[] = [];
      page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
      await page.goto(`${server.url}/`);
      await ready(page);
      await page.evaluate(() => (window as unknown as { OwariChat: { open(): void } }).OwariChat.open());
      await choose(page, /^はい/);
      await page.locator(`${W} .msg.bot`).nth(1).waitFor();

      await server.close();
      await page.locator(`${W} .status:not([hidden])`, { hasText: '再接続中…' }).waitFor();
      // Typed while offline: shown at once, sent after the reconnect.
      await page.locator(`${W} input`).fill('はい');
      await page.locator(`${W} input`).press('Enter');

      server = await startServer({ env });
      await page.locator(`${W} .status`).waitFor({ state: 'hidden', timeout: 10_000 });
      await page.locator(`${W} .qr:not([aria-disabled])`, { hasText: /^はい/ }).first().waitFor();
      expect((await botTexts(page)).at(-1)).toMatch(/質問3/);
      const frames = sent.map((f) => JSON.parse(f) as { type: string });
      expect(frames.filter((f) => f.type === 'hello')).toHaveLength(1);
      expect(frames.filter((f) => f.type === 'welcome_back')).toHaveLength(1);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('saves the README screenshots (desktop and phone)', async () => {
    // Desktop: the three questions answered, the verdict and the choice of OS.
    // Phone: the end of the conversation, with the manual's link button.
    for (const [name, opts, clicks] of [
      ['desktop', { viewport: { width: 1280, height: 800 } }, [/^はい/, /^はい/, /^はい/]],
      ['phone', { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, [/^はい/, /^はい/, /^はい/, /^Windows$/, /Thunderbird/]],
    ] as const) {
      const page = await newPage({ ...opts, reducedMotion: 'reduce' });
      await openOnSupportSite(page);
      for (const title of clicks) await choose(page, title);
      await page.locator(`${W} .qr:not([aria-disabled])`).first().waitFor();
      await page.locator(`${W} .typing`).waitFor({ state: 'hidden' });
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.mouse.move(1, 1);
      await page.locator(`${W} .log`).evaluate((log) => (log.scrollTop = log.scrollHeight));
      // docs/ holds the README's pictures; a normal run must not rewrite tracked files (the reference number differs each run).
      const dir = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs' : 'test-results';
      await page.screenshot({ path: `${dir}/screenshot-${name}.png` });
    }
    // Two whole conversations in Chromium: on a busy machine they take longer than the default 20 s.
  }, 60_000);
});
