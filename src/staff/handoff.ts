/**
 * HANDOFF_WEBHOOK_URL: a JSON summary of a conversation handed to a person, POSTed in the background.
 * Never on the turn's path: send() returns at once; failures (network, timeout, non-2xx) are retried with
 * exponential backoff, then logged and dropped. Only masked data leaves the server; never the conversation id.
 */
import type { Logger } from '../log.ts';

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
  send(summary: HandoffSummary): void;
  /** Resolves when nothing is being sent or waiting for a retry (tests, shutdown). */
  idle(): Promise<void>;
  /** Stops retrying; deliveries still waiting are logged as lost. */
  close(): Promise<void>;
}

export interface HandoffOptions {
  url: string;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  /** Waits before each retry; attempts = delays + 1. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

export function createHandoffNotifier(options: HandoffOptions): HandoffNotifier {
  const { url, log } = options;
  const delays = options.retryDelaysMs ?? [1_000, 5_000, 30_000, 120_000, 600_000];
  const timeoutMs = options.timeoutMs ?? 5_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let closed = false;
  /** Aborts requests in flight at close(), so shutdown never waits for a slow receiver. */
  const stop = new AbortController();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => (timers.delete(entry), resolve()), ms), resolve };
      entry.timer.unref();
      timers.add(entry);
    });

  async function attempt(body: string): Promise<string | undefined> {
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'owari-support-bot handoff' },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stop.signal]),
        redirect: 'error',
      });
      await res.body?.cancel().catch(() => undefined);
      return res.ok ? undefined : `HTTP ${res.status}`;
    } catch (err) {
      return (err as Error).message;
    }
  }

  async function deliver(summary: HandoffSummary): Promise<void> {
    const body = JSON.stringify(summary);
    for (let i = 0; ; i++) {
      const failure = await attempt(body);
      if (failure === undefined) {
        if (i > 0) log.info({ reference: summary.reference, attempts: i + 1 }, 'handoff webhook delivered after retry');
        return;
      }
      if (closed || i >= delays.length) {
        log.error({ reference: summary.reference, attempts: i + 1, failure }, 'handoff webhook failed; giving up');
        return;
      }
      log.warn({ reference: summary.reference, attempt: i + 1, failure }, 'handoff webhook failed; will retry');
      await sleep(delays[i]!);
    }
  }

  return {
    send(summary) {
      if (closed) return;
      const p = deliver(summary).catch((err) => log.error({ err }, 'handoff webhook crashed'));
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async close() {
      closed = true;
      stop.abort();
      for (const t of timers) {
        clearTimeout(t.timer);
        t.resolve();
      }
      timers.clear();
      await Promise.all([...inFlight]);
    },
  };
}
