/**
 * HANDOFF_WEBHOOK_URL: a JSON summary of a conversation handed to a person, POSTed in the background, signed per
 * the Standard Webhooks specification (webhook-id, webhook-timestamp, webhook-signature) with
 * HANDOFF_WEBHOOK_SECRET, plus HANDOFF_WEBHOOK_AUTHORIZATION as the Authorization header when set.
 *
 * Durable, at least once: send() stores the delivery (handoff-store/) and attempts it at once; failures
 * (network, timeout, non-2xx) are retried with backoff, from the store, until delivered or until the next attempt
 * would fall after the retry budget (then removed and logged at error). A restart loses nothing: whatever is
 * stored is retried by the next process (on Redis, by any instance). Each delivery keeps one id, sent as
 * webhook-id, so a receiver that sees it twice (an instance killed after the receiver accepted) can tell.
 *
 * Never on the turn's path: send() returns at once. A delivery the store could not take is kept in memory and
 * written as soon as the store answers. Shutdown does not wait for the receiver: attempts in flight are
 * aborted and their deliveries stay stored. Only masked data leaves the server; never the conversation id.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Logger } from '../log.ts';
import type { HandoffStore, LeasedHandoff, PendingHandoff } from './handoff-store/index.ts';

export interface HandoffSummary {
  type: 'handoff';
  reference: string;
  lang: string;
  /** asked: the customer asked for a person; not_understood: the bot failed twice in a row. */
  reason: 'asked' | 'not_understood';
  at: string;
  /** Steps the customer came through, ending with the current one. */
  path: string[];
  /** Answers to the notice's questions: question number, step, the answer's event (yes | no | client …). */
  answers: { question: number; step: string; answer: string }[];
  client?: string;
  os?: string;
  outcome?: string;
  /**
   * The helpdesk portal's logged-in customer, verified (PORTAL_IDENTITY_SECRET), so staff can contact them;
   * absent in anonymous chats. `email` and `name` are null when the portal did not give them.
   */
  customer?: { id: string; email: string | null; name: string | null };
  /** The last turns, masked, oldest first. */
  lastMessages: { from: 'customer' | 'bot'; text: string; at: string }[];
}

export interface HandoffNotifier {
  /** Queues the summary for delivery; returns at once. */
  send(summary: HandoffSummary): void;
  /** Deliveries waiting (in the store, every instance's, and in memory): one cheap query, for a metric. */
  pending(): Promise<number>;
  /** Resolves when nothing is waiting anywhere: delivered or expired (tests). */
  idle(): Promise<void>;
  /** Stops attempting (attempts in flight are aborted, their deliveries stay stored) and closes the store. */
  close(): Promise<void>;
}

/** Waits before each retry; the last one repeats until the budget runs out. About 12.6 minutes for 6 attempts. */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 600_000];
export const DEFAULT_RETRY_BUDGET_MS = 13 * 60_000;

export interface HandoffOptions {
  url: string;
  /** Where deliveries wait; the notifier closes it. */
  store: HandoffStore;
  /** Standard Webhooks secret, `whsec_` + base64. */
  secret: string;
  /** Sent as the Authorization header (a ticket system's token). */
  authorization?: string;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  retryDelaysMs?: number[];
  /** No attempt starts later than this after the handoff. */
  retryBudgetMs?: number;
  timeoutMs?: number;
  /** How often the store is asked for deliveries due (retries another instance scheduled, leases run out). */
  pollMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

/** Deliveries attempted at once by one instance; more wait in the store. */
const MAX_IN_FLIGHT = 32;
/**
 * How long past the request timeout a lease lasts: enough for the holder to give it back (one store command,
 * itself timed out after a second), short enough that another instance takes over a dead one's soon.
 */
const LEASE_SLACK_MS = 5_000;

/** Standard Webhooks message ids: unique per delivery, the same on every attempt. */
const newDeliveryId = () => `msg_${randomBytes(16).toString('base64url')}`;

export function createHandoffNotifier(options: HandoffOptions): HandoffNotifier {
  const { url, store, log } = options;
  const delays = options.retryDelaysMs?.length ? options.retryDelaysMs : DEFAULT_RETRY_DELAYS_MS;
  const budgetMs = options.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const leaseMs = timeoutMs + LEASE_SLACK_MS;
  const pollMs = options.pollMs ?? 1_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  const webhook = new Webhook(options.secret);
  const instance = randomUUID();
  let claims = 0;
  const newLease = () => `${instance}:${claims++}`;

  /** Deliveries the store did not take yet (it was unavailable), oldest first. */
  const unsaved: PendingHandoff[] = [];
  /** Deliveries being stored or attempted by this instance, by id. */
  const inFlight = new Map<string, Promise<void>>();
  let closed = false;
  /** Aborts requests in flight at close(), so shutdown never waits for a slow receiver. */
  const stop = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;
  let polling: Promise<void> | undefined;
  let pollAgain = false;
  let storeDown = false;

  function storeFailed(err: unknown, what: string, extra: Record<string, unknown> = {}) {
    // Logged once per outage, not once per poll.
    if (!storeDown) log.warn({ err, ...extra }, `handoff store unavailable (${what}); will retry`);
    storeDown = true;
  }

  function wakeAt(at: number) {
    if (closed || at >= timerAt) return;
    clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(poll, Math.max(0, at - now()));
    timer.unref();
  }

  function poll() {
    clearTimeout(timer);
    timer = undefined;
    timerAt = Infinity;
    if (closed) return;
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = pollOnce()
      .catch((err) => log.error({ err }, 'handoff delivery loop failed'))
      .finally(() => {
        polling = undefined;
        if (pollAgain) {
          pollAgain = false;
          poll();
        }
      });
  }

  async function pollOnce() {
    await storeUnsaved();
    let next = now() + pollMs;
    if (!closed && inFlight.size < MAX_IN_FLIGHT) {
      try {
        const at = now();
        const { claimed, nextDueAt } = await store.claim(at, at + leaseMs, MAX_IN_FLIGHT - inFlight.size, newLease());
        storeDown = false;
        for (const delivery of claimed) {
          // Our own lease ran out while its attempt still runs: that attempt settles it.
          if (!inFlight.has(delivery.id)) track(delivery.id, attempt(delivery));
        }
        if (nextDueAt !== undefined) next = Math.min(next, nextDueAt);
      } catch (err) {
        storeFailed(err, 'claim');
      }
    }
    wakeAt(next);
  }

  /** Writes what the store could not take before; what has expired meanwhile is dropped (and logged). */
  async function storeUnsaved() {
    while (unsaved.length > 0) {
      const delivery = unsaved[0]!;
      if (now() > delivery.createdAt + budgetMs) {
        unsaved.shift();
        log.error({ reference: delivery.reference, webhookId: delivery.id }, 'handoff webhook expired before it could be stored; giving up');
        continue;
      }
      try {
        await store.add(delivery, now());
        storeDown = false;
        unsaved.shift();
      } catch (err) {
        storeFailed(err, 'add', { reference: delivery.reference });
        return;
      }
    }
  }

  function track(id: string, work: Promise<void>) {
    const settled = work
      .catch((err) => log.error({ err }, 'handoff webhook crashed'))
      .finally(() => {
        if (inFlight.get(id) === settled) inFlight.delete(id);
      });
    inFlight.set(id, settled);
  }

  function headers(delivery: PendingHandoff): Record<string, string> {
    const at = new Date(now());
    return {
      'content-type': 'application/json',
      'user-agent': 'owari-support-bot handoff',
      'webhook-id': delivery.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': webhook.sign(delivery.id, at, delivery.body),
      ...(options.authorization ? { authorization: options.authorization } : {}),
    };
  }

  async function post(delivery: PendingHandoff): Promise<string | undefined> {
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: headers(delivery),
        body: delivery.body,
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stop.signal]),
        redirect: 'error',
      });
      await res.body?.cancel().catch(() => undefined);
      return res.ok ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      return (err as Error).message;
    }
  }

  /** Removes an expired delivery; should the store be down, the lease's end brings it back and it expires then. */
  const forget = (delivery: PendingHandoff) => store.remove(delivery.id).catch((err) => storeFailed(err, 'remove', { reference: delivery.reference }));

  /** One attempt of a delivery leased to this instance, and what follows: removed, or given back for a retry. */
  async function attempt(delivery: LeasedHandoff): Promise<void> {
    const about = { reference: delivery.reference, webhookId: delivery.id };
    if (now() > delivery.createdAt + budgetMs) {
      // Waited in the store past its budget (no instance ran meanwhile).
      await forget(delivery);
      log.error({ ...about, attempts: delivery.attempts }, 'handoff webhook expired; giving up');
      return;
    }
    const failure = closed ? 'shutting down' : await post(delivery);
    if (failure === undefined) {
      await store.remove(delivery.id).catch((err) => log.warn({ err, ...about }, 'handoff delivered but still stored; it may be sent again'));
      if (delivery.attempts > 0) log.info({ ...about, attempts: delivery.attempts + 1 }, 'handoff webhook delivered after retry');
      return;
    }
    if (closed) {
      // Cut short by shutdown: due again at once, for another instance or the next start.
      await store.release(delivery, now()).catch(() => undefined);
      return;
    }
    const attempts = delivery.attempts + 1;
    const dueAt = now() + delays[Math.min(attempts - 1, delays.length - 1)]!;
    if (dueAt > delivery.createdAt + budgetMs) {
      await forget(delivery);
      log.error({ ...about, attempts, failure }, 'handoff webhook failed; giving up');
      return;
    }
    log.warn({ ...about, attempt: attempts, failure }, 'handoff webhook failed; will retry');
    // Not given back (the lease ran out and another instance holds it, or the store is down): the lease's end retries it.
    const kept = await store.release({ ...delivery, attempts }, dueAt).catch((err) => (storeFailed(err, 'release', about), false));
    if (kept) wakeAt(dueAt);
  }

  // Whatever waits in the store is retried now (leased deliveries when their lease runs out).
  void store
    .dueNow(now())
    .catch((err) => storeFailed(err, 'start'))
    .finally(poll);

  return {
    send(summary) {
      const delivery: PendingHandoff = { id: newDeliveryId(), reference: summary.reference, body: JSON.stringify(summary), createdAt: now(), attempts: 0 };
      if (closed) {
        log.error({ reference: delivery.reference }, 'handoff after shutdown; not delivered');
        return;
      }
      const lease = newLease();
      track(
        delivery.id,
        store.add(delivery, now() + leaseMs, lease).then(
          () => attempt({ ...delivery, lease }),
          (err: unknown) => {
            // Each handoff kept in memory is logged: if the process ends before the store answers, it is lost.
            log.warn({ err, reference: delivery.reference, webhookId: delivery.id }, 'handoff store unavailable; delivery kept in memory until it can be stored');
            storeDown = true;
            unsaved.push(delivery);
            wakeAt(now() + pollMs);
          },
        ),
      );
    },
    async pending() {
      return (await store.count()) + unsaved.length;
    },
    async idle() {
      for (;;) {
        while (inFlight.size > 0) await Promise.all([...inFlight.values()]);
        if (closed || (unsaved.length === 0 && (await store.count().catch(() => 1)) === 0 && inFlight.size === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      stop.abort();
      await polling;
      await Promise.all([...inFlight.values()]);
      await storeUnsaved();
      if (unsaved.length > 0) {
        log.error({ references: unsaved.map((d) => d.reference) }, 'handoff store unavailable at shutdown; these handoffs were not delivered');
      }
      await store.close();
    },
  };
}
