/**
 * Shared set-up for the browser tests: the real bot server (src/server.ts) on a random port, plus two plain
 * HTTP servers standing in for a helpdesk portal — one on an origin listed in ALLOWED_ORIGINS, one not.
 * The portal pages embed the README snippet under a strict CSP and with hostile CSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export interface Bot {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface Portal {
  origin: string;
  server: Server;
  violations: string[];
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A portal page: strict CSP (no inline script or style, no eval), CSS that would wreck a non-isolated widget. */
function portalServer(bot: () => string, violations: string[]): Server {
  return createServer((req, res) => {
    const botUrl = bot();
    if (req.url === '/portal.js') {
      res.writeHead(200, { 'content-type': 'application/javascript' });
      res.end(`window.__events = [];
document.addEventListener('securitypolicyviolation', function (e) {
  navigator.sendBeacon('/csp', e.violatedDirective + ' ' + e.blockedURI);
});
window.addEventListener('owarichat:ready', function () {
  ['open', 'close', 'outcome', 'message'].forEach(function (ev) {
    window.OwariChat.on(ev, function (d) { window.__events.push({ event: ev, detail: d }); });
  });
});`);
      return;
    }
    if (req.url === '/csp' && req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        violations.push(body);
        res.end();
      });
      return;
    }
    if (req.url === '/hostile.css') {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end(`* { font-family: "Comic Sans MS", cursive !important; color: #f0f !important; box-sizing: content-box !important; }
div, button, input, a, section { display: inline !important; background: yellow !important; border: 5px dashed red !important; }
owari-chat { opacity: 0.1 !important; position: absolute !important; left: -1000px !important; display: none !important; }
button { font-size: 40px !important; }`);
      return;
    }
    const ws = botUrl.replace(/^http/, 'ws');
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; script-src 'self' ${botUrl}; connect-src 'self' ${ws}; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'`,
    });
    res.end(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>ヘルプデスクポータル</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/hostile.css"><script src="/portal.js"></script></head>
<body><main><h1>ヘルプデスクポータル</h1><p>お問い合わせはチャットで。</p></main>
<script src="${botUrl}/widget.js" data-lang="ja" data-color="#0b5394" data-position="right" data-open="false" async></script>
</body></html>`);
  });
}

export interface World {
  bot: Bot;
  allowed: Portal;
  other: Portal;
  close(): Promise<void>;
}

/** `env`: more server settings for one suite (e.g. PORTAL_IDENTITY_SECRET). */
export async function startWorld(env: Record<string, string> = {}): Promise<World> {
  let botUrl = '';
  const allowedViolations: string[] = [];
  const otherViolations: string[] = [];
  const allowedServer = portalServer(() => botUrl, allowedViolations);
  const otherServer = portalServer(() => botUrl, otherViolations);
  const allowedPort = await listen(allowedServer);
  const otherPort = await listen(otherServer);
  const dataDir = mkdtempSync(join(tmpdir(), 'owari-widget-'));
  const { startServer } = await import('../../src/server.ts');
  const running = await startServer({
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
      ALLOWED_ORIGINS: `http://127.0.0.1:${allowedPort}`,
      // Browser tests click fast through many conversations from one IP.
      RATE_LIMIT_CONVERSATIONS: '1000',
      RATE_LIMIT_MESSAGES: '1000',
      ...env,
    },
  });
  botUrl = running.url;
  return {
    bot: running,
    allowed: { origin: `http://127.0.0.1:${allowedPort}`, server: allowedServer, violations: allowedViolations },
    other: { origin: `http://127.0.0.1:${otherPort}`, server: otherServer, violations: otherViolations },
    async close() {
      await running.close();
      allowedServer.closeAllConnections();
      otherServer.closeAllConnections();
      allowedServer.close();
      otherServer.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ------------------------------------------------------------------ page helpers

export const W = 'owari-chat';

/** Waits for the widget script to have booted. */
export async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => !!(window as { OwariChat?: unknown }).OwariChat);
}

/** Clicks the live quick reply whose title matches (answered ones are aria-disabled until the bot replies). */
export async function choose(page: Page, title: RegExp): Promise<void> {
  await page.locator(`${W} .qr:not([aria-disabled])`, { hasText: title }).first().click();
}

export const botTexts = (page: Page): Promise<string[]> =>
  page.locator(`${W} .msg.bot`).evaluateAll((els) => els.map((e) => e.textContent ?? ''));
export const userTexts = (page: Page): Promise<string[]> =>
  page.locator(`${W} .msg.user`).evaluateAll((els) => els.map((e) => e.textContent ?? ''));

/** Records OwariChat events on a page (page.evaluate is not subject to the page's CSP). */
export async function recordEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __events: unknown[]; OwariChat: { on(e: string, f: (d: unknown) => void): void } };
    w.__events = [];
    for (const ev of ['open', 'close', 'outcome', 'message']) w.OwariChat.on(ev, (d) => w.__events.push({ event: ev, detail: d }));
  });
}

export const events = (page: Page): Promise<{ event: string; detail: Record<string, unknown> }[]> =>
  page.evaluate(() => (window as unknown as { __events: { event: string; detail: Record<string, unknown> }[] }).__events);
