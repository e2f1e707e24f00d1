/**
 * Widget budgets: size of /widget.js gzipped (≤ 15 KB) and time from OwariChat.open() to the first question
 * painted (≤ 300 ms on loopback). Measured here rather than in a timed test.
 *
 *   node --import tsx bench/widget.ts
 *
 * firstPaintMs is the median of several cold opens (fresh browser context each time: no stored session, a new
 * websocket and a `hello`); it is null when Chromium is not installed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { hasChromium, INSTALL_HINT, launchChromium } from '../test/support/chromium.ts';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
export const BUDGET = { gzipBytes: 15 * 1024, firstPaintMs: 300 };
const RUNS = 7;

// Runs in the page. A string, so the TS loader's helpers (e.g. esbuild's __name) do not leak into the page.
// Painted = the first question and its answer buttons are in the DOM and the browser has produced a frame since.
const MEASURE = `new Promise((resolve) => {
  const shadow = document.querySelector('owari-chat').shadowRoot;
  const t0 = performance.now();
  window.OwariChat.open();
  const poll = () => {
    if (shadow.querySelector('.msg.bot') && shadow.querySelector('.qr')) {
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
    } else requestAnimationFrame(poll);
  };
  poll();
})`;

export async function widgetBench(): Promise<{ gzipBytes: number; firstPaintMs: number | null }> {
  execFileSync(process.execPath, [join(root, 'scripts/build-widget.mjs')], { stdio: 'ignore' });
  const gzipBytes = gzipSync(readFileSync(join(root, 'dist/widget.js')), { level: 9 }).length;
  if (!hasChromium()) {
    console.warn(`widget bench: first paint not measured. ${INSTALL_HINT}`);
    return { gzipBytes, firstPaintMs: null };
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'owari-bench-'));
  const { startServer } = await import('../src/server.ts');
  const server = await startServer({
    env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'test', RATE_LIMIT_CONVERSATIONS: '1000' },
  });
  const chromium = await launchChromium();
  const times: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const ctx = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await ctx.newPage();
      await page.goto(`${server.url}/`);
      await page.waitForFunction(() => !!(window as { OwariChat?: unknown }).OwariChat);
      const ms = (await page.evaluate(MEASURE)) as number;
      if (i > 0) times.push(ms); // the first run warms up the server (flow, i18n, sqlite)
      await ctx.close();
    }
  } finally {
    await chromium.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  const firstPaintMs = Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
  return { gzipBytes, firstPaintMs };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await widgetBench();
  const ok = (v: number | null, max: number) => (v === null ? 'not measured' : v <= max ? 'ok' : 'OVER BUDGET');
  console.log(`widget.js gzipped: ${r.gzipBytes} B (budget ${BUDGET.gzipBytes} B) ${ok(r.gzipBytes, BUDGET.gzipBytes)}`);
  console.log(`first question painted after open(): ${r.firstPaintMs ?? '–'} ms (budget ${BUDGET.firstPaintMs} ms) ${ok(r.firstPaintMs, BUDGET.firstPaintMs)}`);
  console.log(JSON.stringify(r));
}
