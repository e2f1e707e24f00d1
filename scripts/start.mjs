#!/usr/bin/env node
/**
 * `npm start`: builds the widget (scripts/build-widget.mjs) and the server bundle (scripts/build-server.mjs),
 * each only if its sources changed, then runs the server (dist/server/main.js) in this same process. esbuild
 * is loaded only when something is to be built, so a start with fresh builds spends a few milliseconds here;
 * a separate prestart process cost a whole node start-up (≈ 0.1–0.15 s) on every `npm start`.
 */
import { buildServer } from './build-server.mjs';
import { buildWidget } from './build-widget.mjs';

if (!(await buildWidget())) {
  process.exitCode = 1;
} else {
  await buildServer();
  await import('../dist/server/main.js');
}
