#!/usr/bin/env node
/**
 * Bundles the browser widget (src/widget/main.ts, its CSS and locales/{ja,en}/widget.json) into one file,
 * dist/widget.js, plus a pre-compressed dist/widget.js.gz that /widget.js serves to browsers that accept gzip.
 * Run by `npm start` (scripts/start.mjs) and by the test global setup; skipped when dist/widget.js
 * is newer than its sources (src/widget, the protocol types it imports, locales/{ja,en}/widget.json, this script).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isStale } from './freshness.mjs';
import { log } from './log.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'widget.js');
const BUDGET_GZIP = 15 * 1024;

const inputs = ['src/widget', 'src/conversation/wire.ts', 'locales/ja/widget.json', 'locales/en/widget.json', 'scripts/build-widget.mjs'];

/** Whether dist/widget.js(.gz) is older than any of its sources. */
export const widgetIsStale = () => isStale(`${outfile}.gz`, inputs.map((p) => join(root, p)));

/** Builds dist/widget.js and dist/widget.js.gz if they are stale; false if over the size budget. */
export async function buildWidget() {
  if (!widgetIsStale()) return true;
  // Loaded only when there is something to build.
  const { build } = await import('esbuild');
  const { gzipSync } = await import('node:zlib');
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [join(root, 'src/widget/main.ts')],
    outfile,
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2018',
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'warning',
  });

  const js = readFileSync(outfile);
  const gz = gzipSync(js, { level: 9 });
  writeFileSync(`${outfile}.gz`, gz);
  const size = { file: 'dist/widget.js', bytes: js.length, gzipBytes: gz.length, budgetGzipBytes: BUDGET_GZIP };
  if (gz.length > BUDGET_GZIP) {
    await log('error', 'widget built over its size budget', size);
    return false;
  }
  if (!process.env.VITEST) await log('info', 'widget built', size);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href && !(await buildWidget())) process.exitCode = 1;
