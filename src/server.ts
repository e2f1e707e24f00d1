/** Composition: builds every part from the config and starts the HTTP server. Used by main.ts and by tests. */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
import { loadData } from './flow/load.ts';
import { FlowDataError } from './flow/flow-data.ts';
import { createTranslate } from './conversation/i18n.ts';
import { createConversationService } from './conversation/service.ts';
import { newReference } from './conversation/reference.ts';
import { openSqliteStore } from './storage/sqlite.ts';
import { ensurePrivateDir, ensurePrivateFile } from './storage/private-files.ts';
import type { ConversationStore } from './storage/types.ts';
import { createSessionIds } from './channels/sessions.ts';
import { createLimits } from './channels/limits.ts';
import { createBotkitEngine } from './channels/botkit/engine.ts';
import { createGateway } from './channels/gateway.ts';
import { conversationTurns } from './channels/turn-engine.ts';
import { createConversationDirectory } from './channels/directory.ts';
import { clientIp, createOriginPolicy } from './channels/origins.ts';
import { attachWebSocket } from './channels/websocket.ts';
import { createIdentityVerifier } from './channels/identity.ts';
import { createApp } from './http/app.ts';
import { createBoundedServer, HTTP_TIMEOUTS, type HttpTimeouts } from './http/connections.ts';
import { openRateLimiters } from './rate-limit.ts';
import { isInNetworks } from './language/networks.ts';
import { widgetRoutes } from './http/widget-routes.ts';
import { autoconfigRoutes } from './autoconfig/routes.ts';
import { autoconfigTexts } from './autoconfig/texts.ts';
import { createStaff } from './staff/index.ts';
import { openTranscriptStore } from './staff/storage/index.ts';
import { openHandoffStore } from './staff/handoff-store/index.ts';
import { openMetrics } from './metrics/index.ts';

/** How long shutdown waits for websocket clients to answer the 1001 close frame. */
const SOCKET_CLOSE_WAIT_MS = 2000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

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
  ensurePrivateDir(config.dataDir);
  if (existsSync(file)) {
    ensurePrivateFile(file);
    return readFileSync(file, 'utf8').trim();
  }
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  log.warn({ file }, 'SESSION_SECRET is not set: generated a development secret (set SESSION_SECRET in production)');
  return secret;
}

export async function startServer(
  options: {
    env?: Record<string, string | undefined>;
    httpTimeouts?: HttpTimeouts;
    /** Where flows/ and locales/ are read from (default: this repository). */
    dataRoot?: string;
  } = {},
): Promise<RunningServer> {
  const config = loadConfig(options.env ?? process.env);
  const log = createLogger(config.logLevel);
  // The same loader and checks as `npm run flows:check`: refuse to start on any problem, listing them all.
  const load = loadData(options.dataRoot);
  if (!load.ok) throw new FlowDataError(load.problems);
  const { bundle, lexicon, resources } = load.data;
  const t = createTranslate(resources);
  // DATA_DIR is used unless Redis holds everything and the session secret is configured.
  if (!config.redisUrl || !config.sessionSecret) {
    const dirProblem = ensurePrivateDir(config.dataDir);
    if (dirProblem) log.warn({ dir: config.dataDir }, dirProblem);
  }
  const outcomes = [...new Set(Object.values(bundle.flow.states).flatMap((s) => s.meta.outcome ?? []))];
  const { metrics, router: metricsRouter } = await openMetrics(config.metricsToken, outcomes);
  // Transcripts, statistics, handoff webhook, retention, /staff.
  // `store` is assigned just below; staff only calls forget() when a staff member erases a conversation.
  // Rate-limit counters: shared by every instance through Redis when REDIS_URL is set.
  const limiters = await openRateLimiters(config.redisUrl);
  const staff = createStaff({
    config,
    bundle,
    t,
    log,
    store: await openTranscriptStore(config),
    handoffStore: config.handoffWebhookUrl ? await openHandoffStore(config) : undefined,
    forget: (id) => store.delete(id),
    limiters,
  });
  // REDIS_URL: every instance shares the conversations (scale-out); otherwise the embedded SQLite file in DATA_DIR.
  // The Redis engine is loaded only then, so a start on the embedded default does not load ioredis.
  const store: ConversationStore = config.redisUrl
    ? await (await import('./storage/redis.ts')).openRedisStore(config.redisUrl, config.sessionTtlSeconds)
    : openSqliteStore(config.dataDir, config.sessionTtlSeconds);

  let publicBaseUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  // Each stored turn's language and reference, for the edge's error texts and logs.
  const directory = createConversationDirectory();
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
    observe: (id, result, input) => {
      directory.observe(id, result, input);
      staff.observe(id, result, input);
      metrics.turn(result);
    },
  });
  const sessions = createSessionIds(sessionSecret(config, log));
  const limits = createLimits(config.limits, limiters);
  const isOwariAddress = (ip: string) => isInNetworks(ip, config.owariNetworks);
  if (!config.portalIdentitySecret) log.info('PORTAL_IDENTITY_SECRET is not set: customer identities from portals are ignored (chats stay anonymous)');
  const verifyIdentity = createIdentityVerifier(config.portalIdentitySecret);
  const turns = conversationTurns({ service, directory, t, log, metrics });
  const gateway = createGateway({ engine: createBotkitEngine(turns.handle, turns.onError), identify: (id, customer) => service.identify(id, customer), sessions, limits, t, log, directory, isOwariAddress, metrics, verifyIdentity });
  const isAllowedOrigin = createOriginPolicy(config.allowedOrigins, config.publicUrl);
  let closing = false;
  let closed: Promise<void> | undefined;

  const app = createApp({
    gateway,
    isAllowedOrigin,
    trustProxy: config.trustProxy,
    https: config.publicUrl?.startsWith('https:') ?? false,
    frameAncestors: config.allowedOrigins,
    log,
    isReady: async () => !closing && (await store.ping()),
    routers: [
      ...(metricsRouter ? [metricsRouter] : []),
      widgetRoutes(),
      autoconfigRoutes({ mail: config.mail, publicUrl: config.publicUrl, profileSigning: config.profileSigning, texts: autoconfigTexts(resources, 'ja') }),
      ...(staff.router ? [staff.router] : []),
    ],
  });
  const server = createBoundedServer(
    app,
    { maxConnections: config.connections.max, maxPerAddress: config.trustProxy ? undefined : config.connections.perIp },
    options.httpTimeouts ?? HTTP_TIMEOUTS,
  );
  const sockets = attachWebSocket(server, { gateway, limits, isAllowedOrigin, ipOf: (req) => clientIp(req, config.trustProxy), log, onRefusal: metrics.refusal });
  metrics.watchOpenSockets(() => sockets.size);
  metrics.watchHandoffDeliveries(staff.handoffDeliveries);
  if (!config.metricsToken) log.info('metrics disabled: set METRICS_TOKEN to serve GET /metrics (Bearer) for Prometheus');

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
    close() {
      closing = true;
      closed ??= (async () => {
        // 1. Stop accepting: no new connections; /readyz answers 503 so the balancer stops sending us customers.
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        // 2. Finish the turns in flight and let their replies reach the customer (written on the next tick):
        //    frames still waiting for their turn (or for the rate limiter) first, then the service's queues.
        await sockets.idle();
        await service.idle();
        await new Promise((resolve) => setImmediate(resolve));
        // 3. Close every socket with 1001 Going Away: the widget reconnects (to another instance) and resumes.
        //    A client that never answers the close handshake is not waited for beyond SOCKET_CLOSE_WAIT_MS.
        await Promise.race([sockets.close(1001, 'server shutting down'), delay(SOCKET_CLOSE_WAIT_MS)]);
        // 4. A frame that arrived meanwhile still finishes its turn and is stored; a resume shows where it got to.
        await sockets.idle();
        await service.idle();
        await gateway.shutdown();
        server.closeAllConnections();
        await stopped;
        // 5. Flush storage and logs.
        await store.close();
        await staff.close();
        await limiters.close();
        await new Promise<void>((resolve) => log.flush(() => resolve()));
      })();
      return closed;
    },
  };
}
