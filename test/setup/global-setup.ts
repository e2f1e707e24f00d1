/**
 * Runs once before the suite: builds what `npm start` builds (scripts/start.mjs) — the widget the server serves,
 * and the server bundle (dist/server/main.js) that the whole-process scale tests run, as `npm start` does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export default function setup(): void {
  if (existsSync('scripts/build-widget.mjs')) {
    execFileSync(process.execPath, ['scripts/build-widget.mjs'], { stdio: 'inherit' });
  }
  if (existsSync('scripts/build-server.mjs')) {
    execFileSync(process.execPath, ['scripts/build-server.mjs'], { stdio: 'inherit' });
  }
}
