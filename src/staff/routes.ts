/**
 * /staff: dashboard, statistics (JSON, CSV), transcripts by reference, erase, flow diagram.
 * Every route is behind requireStaff; this router is only mounted when staff credentials are configured.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Translate } from '../conversation/i18n.ts';
import { isLang, type Lang } from '../conversation/wire.ts';
import type { FlowData } from '../flow/flow-data.ts';
import type { Logger } from '../log.ts';
import { requireStaff, type StaffCredentials } from './auth.ts';
import type { LoginGuard } from './login-guard.ts';
import { dashboardPage, flowPage, latestCustomer, messagePage, transcriptPage } from './html.ts';
import { computeStats, DAY_MS, jstDay, jstDayStart, statsCsv, type Stats } from './stats.ts';
import { normalizeReference, type TranscriptStore } from './storage/types.ts';
import type { Transcript } from './storage/types.ts';

export interface StaffRouteDeps {
  credentials: StaffCredentials;
  /** Counts failed logins and refuses them with 429 when there were too many. */
  loginGuard: LoginGuard;
  log: Logger;
  store: TranscriptStore;
  flow: FlowData;
  /** The flow diagram's HTML per language (flow-view.ts, built once at start-up). */
  diagram: Record<Lang, string>;
  t: Translate;
  retentionDays: number;
  /** Mail-client names by product id, in each language the dashboard speaks. */
  clientNames: Record<Lang, Record<string, string>>;
  /** Forgets the live conversation too (its stored record holds the account name until SESSION_TTL). */
  forget?: (conversationId: string) => Promise<void>;
  now?: () => number;
}

const DEFAULT_DAYS = 30;

class BadRequest extends Error {}

/**
 * Whether a state-changing request may come from a page: browsers send Basic credentials on their own, so only
 * same-origin pages count (CSRF). A script (curl, no Origin, no Sec-Fetch-Site) is fine; an Origin of "null"
 * (sandboxed frames, file: pages) or one that is no URL is refused like a foreign one.
 */
function fromOurOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

const refuseCrossSite = (res: Response) => res.status(403).json({ error: 'cross-site request refused' });

const langOf = (req: Request): Lang => (isLang(req.query.lang) ? req.query.lang : 'ja');

/** The transcript as staff see it: no conversation id (that is the customer's session credential). */
export function publicTranscript(tr: Transcript) {
  return {
    reference: tr.reference,
    lang: tr.lang,
    startedAt: new Date(tr.startedAt).toISOString(),
    updatedAt: new Date(tr.updatedAt).toISOString(),
    outcomes: [...new Set(tr.turns.map((x) => x.outcome).filter(Boolean))],
    handoff: tr.turns.some((x) => x.handoff),
    customer: latestCustomer(tr) ?? null,
    turns: tr.turns.map(({ conversationId: _id, reference: _ref, customer: _customer, at, ...rest }) => ({ at: new Date(at).toISOString(), ...rest })),
  };
}

export function staffRoutes(deps: StaffRouteDeps): Router {
  const { store, flow, t } = deps;
  const now = deps.now ?? Date.now;
  const router = express.Router();
  router.use('/staff', requireStaff(deps.credentials, { guard: deps.loginGuard, log: deps.log }));

  /** Erases a conversation everywhere staff can reach it: transcripts, statistics and the live record. */
  async function erase(ref: string): Promise<boolean> {
    const ids = await store.erase(ref);
    await Promise.all(ids.map((id) => deps.forget?.(id)));
    return ids.length > 0;
  }

  async function statsFor(req: Request): Promise<Stats> {
    const today = jstDay(now());
    const to = typeof req.query.to === 'string' && req.query.to ? req.query.to : today;
    const toStart = jstDayStart(to);
    const from = typeof req.query.from === 'string' && req.query.from ? req.query.from : jstDay((toStart ?? now()) - (DEFAULT_DAYS - 1) * DAY_MS);
    const fromStart = jstDayStart(from);
    if (fromStart === undefined || toStart === undefined || fromStart > toStart) throw new BadRequest('from and to must be dates YYYY-MM-DD, from ≤ to');
    const events = await store.events(fromStart, toStart + DAY_MS);
    return computeStats(events, flow, { from, to });
  }

  const reference = (raw: unknown) => (typeof raw === 'string' ? normalizeReference(raw) : undefined);

  router.get(['/staff', '/staff/'], async (req, res) => {
    const lang = langOf(req);
    const erased = reference(req.query.erased);
    const flash = erased ? t(lang, 'staff:transcript.erased', { reference: erased }) : undefined;
    res.type('html').send(dashboardPage(t, lang, await statsFor(req), { retentionDays: deps.retentionDays, clientNames: deps.clientNames[lang], flash }));
  });
  router.get('/staff/api/stats', async (req, res) => {
    res.json(await statsFor(req));
  });
  router.get('/staff/api/stats.csv', async (req, res) => {
    const stats = await statsFor(req);
    res.type('text/csv; charset=utf-8').attachment(`owari-support-stats-${stats.from}_${stats.to}.csv`).send(statsCsv(stats));
  });

  router.get('/staff/api/conversations/:reference', async (req, res) => {
    const ref = reference(req.params.reference);
    const tr = ref && (await store.byReference(ref));
    if (!tr) {
      res.status(ref ? 404 : 400).json({ error: ref ? 'not found' : 'malformed reference' });
      return;
    }
    res.json(publicTranscript(tr));
  });
  router.delete('/staff/api/conversations/:reference', async (req, res) => {
    if (!fromOurOrigin(req)) return void refuseCrossSite(res);
    const ref = reference(req.params.reference);
    if (!ref) {
      res.status(400).json({ error: 'malformed reference' });
      return;
    }
    res.status((await erase(ref)) ? 204 : 404).end();
  });

  router.get('/staff/conversations', (req, res) => {
    const lang = langOf(req);
    const ref = reference(req.query.reference);
    if (!ref) {
      res.status(400).type('html').send(messagePage(t, lang, t(lang, 'staff:nav.search'), t(lang, 'staff:transcript.badReference')));
      return;
    }
    res.redirect(303, `/staff/conversations/${ref}?lang=${lang}`);
  });
  router.get('/staff/conversations/:reference', async (req, res) => {
    const lang = langOf(req);
    const ref = reference(req.params.reference);
    const tr = ref && (await store.byReference(ref));
    if (!tr) {
      const text = ref ? t(lang, 'staff:transcript.notFound', { reference: ref }) : t(lang, 'staff:transcript.badReference');
      res.status(ref ? 404 : 400).type('html').send(messagePage(t, lang, t(lang, 'staff:nav.search'), text));
      return;
    }
    res.type('html').send(transcriptPage(t, lang, tr));
  });
  /** The page's erase button. */
  router.post('/staff/conversations/:reference/erase', async (req, res) => {
    if (!fromOurOrigin(req)) return void refuseCrossSite(res);
    const lang = langOf(req);
    const ref = reference(req.params.reference);
    if (!ref || !(await erase(ref))) {
      res.status(404).type('html').send(messagePage(t, lang, t(lang, 'staff:nav.search'), t(lang, 'staff:transcript.notFound', { reference: ref ?? '' })));
      return;
    }
    res.redirect(303, `/staff?lang=${lang}&erased=${ref}`);
  });

  router.get('/staff/flow', (req, res) => {
    const lang = langOf(req);
    res.type('html').send(flowPage(t, lang, deps.diagram[lang]));
  });

  router.use('/staff', ((err, _req, res, next) => {
    if (err instanceof BadRequest) res.status(400).json({ error: 'malformed', message: err.message });
    else next(err);
  }) as express.ErrorRequestHandler);
  return router;
}
