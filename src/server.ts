/** Composition: builds every part from the config and starts the HTTP server. Used by main.ts and by tests. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { loadFlowBundle } from './flow/load.ts';
import { loadLocales } from './flow/locales.ts';
import { loadLexicon } from './language/load-lexicon.ts';
import { createTranslate } from './conversation/i18n.ts';
import { createConversationService } from './conversation/service.ts';
import { newReference } from './conversation/reference.ts';
import { openSqliteStore } from './storage/sqlite.ts';
import type { ConversationStore } from './storage/types.ts';
import { createSessionIds } from './channels/sessions.ts';
import { createLimits } from './channels/limits.ts';
import { createGateway } from './channels/gateway.ts';
import { clientIp, createOriginPolicy } from './channels/origins.ts';
import { attachWebSocket } from './channels/websocket.ts';
import { createApp } from './http/app.ts';
import { widgetRoutes } from './http/widget-routes.ts';
import { autoconfigRoutes } from './autoconfig/routes.ts';

export interface RunningServer {
  url: string;
  port: number;
  config: Config;
  log: Logger;
  server: Server;
  /** Graceful stop: refuse new work, finish turns in flight, close sockets with 1001, close storage. */
  close(): Promise<void>;
}

/** In development a secret is generated once and kept in DATA_DIR, so ids survive restarts. */
function sessionSecret(config: Config, log: Logger): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = join(config.dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  log.warn({ file }, 'SESSION_SECRET is not set: generated a development secret (set SESSION_SECRET in production)');
  return secret;
}

export async function startServer(options: { env?: Record<string, string | undefined> } = {}): Promise<RunningServer> {
  const config = loadConfig(options.env ?? process.env);
  const log = createLogger(config.logLevel);
  const bundle = loadFlowBundle();
  const t = createTranslate(loadLocales());
  const lexicon = loadLexicon();
  const store: ConversationStore = openSqliteStore(config.dataDir, config.sessionTtlSeconds);

  let publicBaseUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  const service = createConversationService({
    deps: {
      bundle,
      lexicon,
      t,
      now: Date.now,
      site: {
        mail: config.mail,
        contact: config.contact,
        rentalServerUrl: config.rentalServerUrl,
        manualBaseUrl: config.manualBaseUrl,
        get publicBaseUrl() {
          return publicBaseUrl;
        },
      },
    },
    store,
    newReference,
  });
  const sessions = createSessionIds(sessionSecret(config, log));
  const limits = createLimits(config.limits);
  const gateway = createGateway({ service, sessions, limits, t, log });
  const isAllowedOrigin = createOriginPolicy(config.allowedOrigins, config.publicUrl);
  let closing = false;

  const app = createApp({
    gateway,
    isAllowedOrigin,
    trustProxy: config.trustProxy,
    t,
    log,
    isReady: async () => !closing && (await store.ping()),
    routers: [widgetRoutes(), autoconfigRoutes({ mail: config.mail, publicUrl: config.publicUrl, profileSigning: config.profileSigning })],
  });
  const server = createServer(app);
  const sockets = attachWebSocket(server, { gateway, limits, isAllowedOrigin, ipOf: (req) => clientIp(req, config.trustProxy), log });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (!config.publicUrl) publicBaseUrl = `http://localhost:${port}`;
  const url = `http://127.0.0.1:${port}`;
  log.info({ port, storage: store.engine }, 'ready');

  return {
    url,
    port,
    config,
    log,
    server,
    async close() {
      if (closing) return;
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await sockets.close(1001, 'server shutting down');
      await service.idle();
      await gateway.shutdown();
      server.closeAllConnections();
      await stopped;
      await store.close();
      log.flush();
    },
  };
}
