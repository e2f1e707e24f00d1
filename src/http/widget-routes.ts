/**
 * Routes for the browser widget: GET /widget.js (the bundle from scripts/build-widget.mjs), the demo support
 * page GET /, the full-page chat GET /chat, and the static files in public/.
 *
 * /widget.js is public and carries no data, so any origin may load it (the portal embeds it cross-origin):
 * Cross-Origin-Resource-Policy: cross-origin and Access-Control-Allow-Origin: *. The websocket and API stay
 * restricted by ALLOWED_ORIGINS in the core.
 */
import express, { type Request, type Response, type Router } from 'express';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface WidgetRoutesOptions {
  /** Directory holding widget.js (and widget.js.gz). Default: <repo>/dist. */
  distDir?: string;
  /** Directory of the static pages. Default: <repo>/public. */
  publicDir?: string;
}

interface Bundle {
  mtimeMs: number;
  js: Buffer;
  gz: Buffer | null;
  etag: string;
}

export function widgetRoutes(opts: WidgetRoutesOptions = {}): Router {
  const distDir = opts.distDir ?? join(root, 'dist');
  const publicDir = opts.publicDir ?? join(root, 'public');
  const router = express.Router();
  let cached: Bundle | null = null;

  /**
   * Reads the bundle once: `npm start` (scripts/start.mjs) and the test setup build it before the server starts, and a
   * new build means a restart. Until it exists every request looks again, so a late build is still picked up.
   */
  function bundle(): Bundle | null {
    if (cached) return cached;
    const file = join(distDir, 'widget.js');
    if (!existsSync(file)) return null;
    const mtimeMs = statSync(file).mtimeMs;
    const js = readFileSync(file);
    const gzFile = `${file}.gz`;
    const gz = existsSync(gzFile) && statSync(gzFile).mtimeMs >= mtimeMs ? readFileSync(gzFile) : null;
    cached = { mtimeMs, js, gz, etag: `"w-${js.length.toString(36)}-${Math.floor(mtimeMs).toString(36)}"` };
    return cached;
  }

  router.get('/widget.js', (req: Request, res: Response) => {
    const b = bundle();
    if (!b) {
      res.status(503).type('text/plain').send('widget not built: run `node scripts/build-widget.mjs` (npm start does it)\n');
      return;
    }
    res.set({
      'Content-Type': 'application/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400',
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Access-Control-Allow-Origin': '*',
      'X-Content-Type-Options': 'nosniff',
      ETag: b.etag,
      Vary: 'Accept-Encoding',
    });
    if (req.headers['if-none-match'] === b.etag) {
      res.status(304).end();
      return;
    }
    if (b.gz && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.set('Content-Encoding', 'gzip').send(b.gz);
    } else {
      res.send(b.js);
    }
  });

  const page = (name: string) => (_req: Request, res: Response) => {
    res.set('Cache-Control', 'no-cache');
    res.sendFile(join(publicDir, name));
  };
  router.get('/', page('index.html'));
  router.get('/chat', page('chat.html'));
  router.use(express.static(publicDir, { index: false, maxAge: '1h', dotfiles: 'ignore' }));
  return router;
}
