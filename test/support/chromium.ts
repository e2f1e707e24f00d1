/**
 * Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core (never a downloaded browser).
 *
 * Without Chromium the browser suites are skipped with a message saying how to install it — except on CI
 * (CI=true), where a missing browser fails the run instead of silently testing nothing.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe, it } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const INSTALL_HINT = `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get update && apt-get install -y chromium\` (as root), or set CHROMIUM_PATH.`;

export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface LaunchedChromium {
  browser: Browser;
  close(): Promise<void>;
}

/** Launches a headless Chromium with a fresh, throw-away profile. */
export async function launchChromium(): Promise<LaunchedChromium> {
  if (!hasChromium()) throw new Error(INSTALL_HINT);
  // chromium.launch gives every browser a fresh temporary profile (--user-data-dir) and deletes it on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
    },
  };
}

/**
 * `describe` that runs when Chromium is present; otherwise skips with INSTALL_HINT, or — on CI — registers a
 * failing test so the missing browser cannot go unnoticed.
 */
export function describeWithChromium(name: string, fn: () => void): void {
  if (hasChromium()) {
    describe(name, fn);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('needs Chromium (CI=true: a missing browser fails the suite)', () => {
        throw new Error(INSTALL_HINT);
      });
    });
  } else {
    console.warn(`[skip] ${name}: ${INSTALL_HINT}`);
    describe.skip(`${name} — skipped: ${INSTALL_HINT}`, fn);
  }
}
