/**
 * The staff side, built once by startServer: transcript store, the conversation service's observe hook,
 * the handoff webhook, the /staff routes (only when credentials are configured), and retention.
 */
import type { Router } from 'express';
import type { Config } from '../config.ts';
import type { Translate } from '../conversation/i18n.ts';
import type { FlowBundle } from '../flow/load.ts';
import type { Logger } from '../log.ts';
import { staffEnabled } from './auth.ts';
import { flowDiagramHtml, layoutFlow } from './flow-view.ts';
import { languages, type Lang } from '../conversation/wire.ts';
import { createHandoffNotifier, type HandoffNotifier } from './handoff.ts';
import { createRecorder, type Recorder } from './recorder.ts';
import { staffRoutes } from './routes.ts';
import { DAY_MS } from './stats.ts';
import type { TranscriptStore } from './storage/index.ts';

export const PURGE_INTERVAL_MS = 3600_000;

export interface Staff {
  store: TranscriptStore;
  observe: Recorder['observe'];
  /** undefined when no staff credentials are configured (staff routes disabled). */
  router?: Router;
  /** Deletes transcripts and events older than RETENTION_DAYS; runs at start-up and hourly. */
  purge(): Promise<number>;
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
  config: Pick<Config, 'staff' | 'handoffWebhookUrl' | 'retentionDays' | 'dataDir' | 'redisUrl'>;
  bundle: FlowBundle;
  t: Translate;
  log: Logger;
  now?: () => number;
  /** Where transcripts are kept (storage/index.ts: openTranscriptStore). */
  store: TranscriptStore;
  handoffRetryDelaysMs?: number[];
  /** Deletes a live conversation record (see StaffRouteDeps.forget). */
  forget?: (conversationId: string) => Promise<void>;
}): Staff {
  const { config, bundle, t, log } = deps;
  const now = deps.now ?? Date.now;
  const { store } = deps;
  const handoff: HandoffNotifier | undefined = config.handoffWebhookUrl
    ? createHandoffNotifier({ url: config.handoffWebhookUrl, log, retryDelaysMs: deps.handoffRetryDelaysMs })
    : undefined;
  const recorder = createRecorder({ store, flow: bundle.flow, log, now, handoff });

  let router: Router | undefined;
  if (staffEnabled(config.staff)) {
    router = staffRoutes({
      credentials: config.staff,
      store,
      flow: bundle.flow,
      diagram: flowDiagrams(bundle, t),
      t,
      retentionDays: config.retentionDays,
      clientNames: Object.fromEntries(Object.entries(bundle.catalogue.products).map(([id, p]) => [id, p.name])),
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
    observe: recorder.observe,
    router,
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
