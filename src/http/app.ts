/** The Express app: security headers, the webhook, health checks, and the routers of each part. */
import express, { type ErrorRequestHandler, type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Gateway, Refusals } from '../channels/gateway.ts';
import { TRUSTED_PROXY_HOPS, type OriginPolicy } from '../channels/origins.ts';
import type { Logger } from '../log.ts';
import type { ErrorCode } from '../conversation/wire.ts';

export const MAX_BODY_BYTES = 16 * 1024;

export interface AppDeps {
  gateway: Gateway & Refusals;
  isAllowedOrigin: OriginPolicy;
  trustProxy: boolean;
  /** Served to customers over https (PUBLIC_URL is https): enables HSTS and upgrade-insecure-requests. */
  https: boolean;
  log: Logger;
  /** Readiness: storage reachable and not shutting down. */
  isReady: () => Promise<boolean>;
  /** Routers mounted before the JSON body parser (they parse their own bodies). */
  routers: Router[];
  /** Origins (ALLOWED_ORIGINS) whose pages may frame the full-page chat; every other page stays same-origin only. */
  frameAncestors?: string[];
}

/** Pages a helpdesk portal may put in an <iframe>: the full-page chat only. */
export const FRAMEABLE_PATHS: readonly string[] = ['/chat', '/chat/'];

/** CORS for the webhook: only origins the policy allows, never a wildcard. */
function cors(isAllowedOrigin: OriginPolicy): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin !== undefined && !isAllowedOrigin(origin, req.headers.host)) {
      res.status(403).json({ error: 'origin not allowed' });
      return;
    }
    if (origin !== undefined) {
      res.set({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
      if (req.method === 'OPTIONS') {
        res.set({ 'Access-Control-Allow-Methods': 'POST, OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type', 'Access-Control-Max-Age': '600' }).status(204).end();
        return;
      }
    }
    next();
  };
}

/** `user` and `lang` as written in a body that is not valid JSON (only to pick the language of the refusal). */
function salvageHint(body: string): { user?: string; lang?: string } {
  const text = body.slice(0, MAX_BODY_BYTES);
  return {
    user: /"user"\s*:\s*"([A-Za-z0-9_.-]{1,256})"/.exec(text)?.[1],
    lang: /"lang"\s*:\s*"(ja|en)"/.exec(text)?.[1],
  };
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Same rule as clientIp(): one trusted proxy, so req.ip is the address it saw, not one the client wrote into X-Forwarded-For.
  app.set('trust proxy', deps.trustProxy ? TRUSTED_PROXY_HOPS : false);
  const headers = (frameAncestors: string[]) =>
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          imgSrc: ["'self'", 'data:'],
          frameAncestors: ["'self'", ...frameAncestors],
          // Only behind https: over plain http (a LAN test box) it would rewrite our own assets to https and break the page.
          upgradeInsecureRequests: deps.https ? [] : null,
        },
      },
      // X-Frame-Options cannot name other origins; frame-ancestors (which browsers prefer) does, so a framed page goes without it.
      xFrameOptions: frameAncestors.length > 0 ? false : { action: 'sameorigin' },
      strictTransportSecurity: deps.https,
      crossOriginResourcePolicy: { policy: 'same-site' },
    });
  const ownPages = headers([]);
  const frameable = deps.frameAncestors?.length ? headers(deps.frameAncestors) : ownPages;
  app.use((req, res, next) => (FRAMEABLE_PATHS.includes(req.path) ? frameable : ownPages)(req, res, next));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await deps.isReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable' });
  });

  for (const router of deps.routers) app.use(router);

  app.use('/api/messages', cors(deps.isAllowedOrigin));
  app.post('/api/messages', express.json({ limit: MAX_BODY_BYTES, strict: false, type: () => true }), async (req, res) => {
    const replies = await deps.gateway.receive(req.body ?? null, { lang: 'ja' }, { ip: req.ip ?? 'unknown' });
    res.json(replies);
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const onError: ErrorRequestHandler = (err: { status?: number; type?: string; body?: unknown }, req, res, _next) => {
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status === 500) deps.log.error({ err, path: req.path }, 'request failed');
    const code: ErrorCode = status === 413 ? 'too_long' : status === 500 ? 'internal' : 'malformed';
    if (res.headersSent) return;
    // A refused body gets a protocol.md error object (type, code, text), as a websocket frame would, in the language
    // of its conversation when the request says which: a body that is not JSON may still carry its `user` and `lang`.
    res.status(status).json(deps.gateway.refuse(code, typeof err.body === 'string' ? salvageHint(err.body) : {}));
  };
  app.use(onError);
  return app;
}
