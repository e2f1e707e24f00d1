/** Runs once before the suite: builds what the server serves, as `npm start` does via prestart. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export default function setup(): void {
  if (existsSync('scripts/build-widget.mjs')) {
    execFileSync(process.execPath, ['scripts/build-widget.mjs'], { stdio: 'inherit' });
  }
}
