/**
 * The staff side, built once by startServer: transcript store, the conversation service's observe hook,
 * the handoff webhook, the /staff routes (only when credentials are configured), and retention.
 */
import type { Router } from 'express';
import type { Config } from '../config.ts';
import type { Translate } from '../conversation/i18n.ts';
import { languages, type Lang } from '../conversation/wire.ts';
import type { FlowBundle } from '../flow/bundle.ts';
import type { Logger } from '../log.ts';
import { staffEnabled } from './auth.ts';
import { createLoginGuard } from './login-guard.ts';
import { memoryRateLimiters, type RateLimiters } from '../rate-limit.ts';
import { flowDiagramHtml, layoutFlow } from './flow-view.ts';
import { createHandoffNotifier, type HandoffNotifier } from './handoff.ts';
import type { HandoffStore } from './handoff-store/index.ts';
import { createRecorder, type Recorder } from './recorder.ts';
import { staffRoutes } from './routes.ts';
import { DAY_MS } from './stats.ts';
import type { TranscriptStore } from './storage/index.ts';
import type { PendingDeliveries } from '../metrics/metrics.ts';

export const PURGE_INTERVAL_MS = 3600_000;

export interface Staff {
  store: TranscriptStore;
  observe: Recorder['observe'];
  /** undefined when no staff credentials are configured (staff routes disabled). */
  router?: Router;
  /** Handoff summaries waiting for delivery (none when HANDOFF_WEBHOOK_URL is not set). */
  handoffDeliveries: PendingDeliveries;
  /** Deletes transcripts and events older than RETENTION_DAYS; runs at start-up and hourly. */
  purge(): Promise<number>;
  /** The handoff webhook's deliveries (undefined without HANDOFF_WEBHOOK_URL); `pending()` counts those waiting. */
  handoff?: HandoffNotifier;
  /** Waits for queued writes and webhook deliveries (tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** /staff/flow's diagram in each language, from the same flow data customers go through. */
function flowDiagrams(bundle: FlowBundle, t: Translate): Record<Lang, string> {
  const entries = languages.map((lang) => {
    const caption = (key: string) => {
      const text = t(lang, key);
      return text === key ? undefined : text;
    };
    const labels = { notice: t(lang, 'staff:flow.notice'), setup: t(lang, 'staff:flow.setup'), choices: t(lang, 'staff:flow.choices'), when: t(lang, 'staff:flow.when') };
    return [lang, flowDiagramHtml(layoutFlow(bundle.flow, bundle.catalogue, caption), labels)] as const;
  });
  return Object.fromEntries(entries) as Record<Lang, string>;
}

export function createStaff(deps: {
  config: Pick<Config, 'staff' | 'handoffWebhookUrl' | 'retentionDays' | 'dataDir' | 'redisUrl'> & Partial<Pick<Config, 'handoff'>>;
  bundle: FlowBundle;
  t: Translate;
  log: Logger;
  now?: () => number;
  /** Where transcripts are kept (storage/index.ts: openTranscriptStore). */
  store: TranscriptStore;
  /** Where handoff deliveries wait (handoff-store/index.ts: openHandoffStore); needed with HANDOFF_WEBHOOK_URL. */
  handoffStore?: HandoffStore;
  /** Deletes a live conversation record (see StaffRouteDeps.forget). */
  forget?: (conversationId: string) => Promise<void>;
  /** Where failed staff logins are counted (shared through Redis when REDIS_URL is set); default: this process. */
  limiters?: RateLimiters;
}): Staff {
  const { config, bundle, t, log } = deps;
  const now = deps.now ?? Date.now;
  const { store } = deps;
  const handoff: HandoffNotifier | undefined = config.handoffWebhookUrl ? handoffNotifier(config.handoffWebhookUrl, config.handoff, deps.handoffStore, log) : undefined;
  const recorder = createRecorder({ store, flow: bundle.flow, log, now, handoff });

  let router: Router | undefined;
  if (staffEnabled(config.staff)) {
    router = staffRoutes({
      credentials: config.staff,
      loginGuard: createLoginGuard({ limiters: deps.limiters ?? memoryRateLimiters }),
      log,
      store,
      flow: bundle.flow,
      diagram: flowDiagrams(bundle, t),
      t,
      retentionDays: config.retentionDays,
      clientNames: Object.fromEntries(
        languages.map((lang) => [lang, Object.fromEntries(Object.keys(bundle.catalogue.products).map((id) => [id, t(lang, `clients.${id}.name`)]))]),
      ) as Record<Lang, Record<string, string>>,
      forget: deps.forget,
      now,
    });
  } else {
    log.warn('staff routes disabled: set STAFF_TOKEN (Bearer) or STAFF_USER and STAFF_PASSWORD (browser login) to enable /staff');
  }

  async function purge(): Promise<number> {
    const removed = await store.purge(now() - config.retentionDays * DAY_MS);
    if (removed > 0) log.info({ removed, retentionDays: config.retentionDays }, 'staff transcripts purged');
    return removed;
  }
  const runPurge = () => void purge().catch((err) => log.warn({ err }, 'staff transcript purge failed'));
  runPurge();
  const timer = setInterval(runPurge, PURGE_INTERVAL_MS);
  timer.unref();

  return {
    store,
    handoff,
    observe: recorder.observe,
    router,
    handoffDeliveries: { pending: () => handoff?.pending() ?? 0 },
    purge,
    async idle() {
      await recorder.idle();
      await handoff?.idle();
    },
    async close() {
      clearInterval(timer);
      await recorder.idle();
      await handoff?.close();
      await store.close();
    },
  };
}

function handoffNotifier(url: string, settings: Config['handoff'] | undefined, store: HandoffStore | undefined, log: Logger): HandoffNotifier {
  // loadConfig refuses HANDOFF_WEBHOOK_URL without a secret; server.ts opens the store whenever the URL is set.
  if (!settings?.secret || !store) throw new Error('HANDOFF_WEBHOOK_URL needs the handoff settings (secret) and a handoff store');
  return createHandoffNotifier({
    url,
    store,
    log,
    secret: settings.secret,
    authorization: settings.authorization,
    retryBudgetMs: settings.retryBudgetMs,
    retryDelaysMs: settings.retryDelaysMs,
  });
}
