#!/usr/bin/env node
/**
 * Bundles the browser widget (src/widget/main.ts, its CSS and locales/{ja,en}/widget.json) into one file,
 * dist/widget.js, plus a pre-compressed dist/widget.js.gz that /widget.js serves to browsers that accept gzip.
 * Run by `npm start` (prestart) and by the test global setup; skipped when dist/widget.js is newer than its
 * sources (src/widget, the protocol types it imports, locales/{ja,en}/widget.json, this script).
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './freshness.mjs';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'widget.js');
const BUDGET_GZIP = 15 * 1024;

const inputs = ['src/widget', 'src/conversation/wire.ts', 'locales/ja/widget.json', 'locales/en/widget.json', 'scripts/build-widget.mjs'];
if (!isStale(`${outfile}.gz`, inputs.map((p) => join(root, p)))) process.exit(0);

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
const msg = `widget: dist/widget.js ${js.length} B, ${gz.length} B gzipped (budget ${BUDGET_GZIP} B)`;
if (gz.length > BUDGET_GZIP) {
  console.error(`${msg} — OVER BUDGET`);
  process.exitCode = 1;
} else if (!process.env.VITEST) {
  console.log(msg);
}
