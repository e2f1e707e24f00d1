/**
 * The conversation service's `observe` hook: turns each committed turn into a masked TurnEvent, writes it
 * in the background, and on a handoff sends the webhook summary. observe() is synchronous, never throws
 * and never waits: the chat does not slow down or fail because staff storage does.
 */
import type { TurnResult } from '../conversation/turn.ts';
import type { CustomerIdentity } from '../conversation/customer.ts';
import type { FlowData } from '../flow/flow-data.ts';
import { transitionsOf } from '../flow/flow-data.ts';
import type { Logger } from '../log.ts';
import { showBidiControls } from './bidi.ts';
import type { HandoffNotifier, HandoffSummary } from './handoff.ts';
import { maskBotText, maskCustomerText } from './mask.ts';
import type { TranscriptStore, TurnEvent } from './storage/types.ts';

/**
 * Events waiting (to be handed on, or being written) beyond this are dropped and logged, rather than growing
 * memory while storage is down.
 */
export const MAX_PENDING_WRITES = 10_000;
export const HANDOFF_LAST_MESSAGES = 6;
/** How long transcript events wait to be handed on together (or fewer, when the store sets `batchEvents`). */
export const BATCH_MS = 50;

export interface Recorder {
  observe(conversationId: string, result: TurnResult, input?: string): void;
  /** Resolves when every queued write (and handoff summary) has been handed on. */
  idle(): Promise<void>;
}

export function toTurnEvent(conversationId: string, result: TurnResult, input: string | undefined, at: number): TurnEvent {
  const { record, trace, replies } = result;
  const account = record.context.account;
  return {
    conversationId,
    reference: record.reference,
    lang: record.lang,
    at,
    from: trace.from,
    to: trace.to,
    understood: trace.understood,
    ...(input !== undefined ? { input: maskCustomerText(input, account) } : {}),
    reply: maskBotText(replies.map((r) => r.text).join('\n\n'), account),
    ...(trace.outcome ? { outcome: trace.outcome } : {}),
    ...(trace.client ? { client: trace.client } : {}),
    ...(trace.errorCode ? { errorCode: trace.errorCode } : {}),
    ...(trace.faq ? { faq: trace.faq } : {}),
    ...(trace.handoff ? { handoff: true } : {}),
    ...(record.customer ? { customer: record.customer } : {}),
    ...(trace.passed ? { passed: trace.passed } : {}),
  };
}

/** The way through the flowchart so far and the answer given at each question. */
export function pathAndAnswers(flow: FlowData, trail: readonly string[], step: string): Pick<HandoffSummary, 'path' | 'answers'> {
  const path = [...trail, step];
  const answers: HandoffSummary['answers'] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const from = flow.states[path[i]!];
    const question = from?.meta.question;
    if (!from || question === undefined) continue;
    const events = [...new Set(transitionsOf(from).filter((t) => t.target === path[i + 1]).map((t) => t.event))];
    // A yes/no question reached by naming a mail client at question 1 was answered "yes".
    const answer = events.find((e) => e === 'yes' || e === 'no') ?? (events.join('|') || 'unknown');
    answers.push({ question, step: path[i]!, answer });
  }
  return { path, answers };
}

/** The summary's customer: id, email and name, the ones the portal did not give as null. */
const customerOf = (c: CustomerIdentity): NonNullable<HandoffSummary['customer']> => ({ id: c.id, email: c.email ?? null, name: c.name ?? null });

export function createRecorder(deps: { store: TranscriptStore; flow: FlowData; log: Logger; now?: () => number; handoff?: HandoffNotifier }): Recorder {
  const { store, flow, log, handoff } = deps;
  const now = deps.now ?? Date.now;
  /** Appends and handoff summaries handed on and not settled yet. */
  const writing = new Set<Promise<void>>();
  /** Events in `batch` or in an unsettled append. */
  let pendingEvents = 0;
  let dropped = 0;
  /**
   * Events of the last few milliseconds, written together: a busy minute costs a few commits, not one per
   * turn. Transcripts are for staff, so a crash may lose the last BATCH_MS of them (on SQLite, plus the writer
   * thread's uncommitted 50 ms: sqlite-transcript-writer.mjs); conversations lose nothing.
   */
  let batch: TurnEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const batchEvents = store.batchEvents ?? Infinity;

  function track(work: Promise<void>, failure: string) {
    const settled: Promise<void> = work
      .catch((err) => log.warn({ err }, failure))
      .finally(() => {
        writing.delete(settled);
      });
    writing.add(settled);
  }

  /** Appends may overlap: the store keeps them in the order they were handed on. */
  function flushBatch() {
    clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0) return;
    // Only the count is kept until the append settles: the events themselves must not outlive this tick.
    const count = batch.length;
    const written = store.append(...batch);
    batch = [];
    track(
      written.finally(() => {
        pendingEvents -= count;
      }),
      'staff transcript write failed',
    );
  }

  function record(event: TurnEvent) {
    if (pendingEvents >= MAX_PENDING_WRITES) return drop();
    pendingEvents++;
    batch.push(event);
    if (batch.length >= batchEvents) return flushBatch();
    if (!timer) {
      timer = setTimeout(flushBatch, BATCH_MS);
      timer.unref();
    }
  }

  function drop() {
    if (dropped++ % 1000 === 0) log.warn({ dropped }, 'staff transcript queue full; dropping events');
  }

  async function summary(conversationId: string, result: TurnResult, event: TurnEvent): Promise<HandoffSummary> {
    const { record, trace } = result;
    const recent = await store.recentTurns(conversationId, HANDOFF_LAST_MESSAGES).catch(() => [event]);
    const lastMessages = recent.flatMap((t) => [
      ...(t.input !== undefined ? [{ from: 'customer' as const, text: showBidiControls(t.input), at: new Date(t.at).toISOString() }] : []),
      { from: 'bot' as const, text: showBidiControls(t.reply), at: new Date(t.at).toISOString() },
    ]);
    const way = pathAndAnswers(flow, record.context.trail, record.step);
    const outcome = [...way.path].reverse().map((s) => flow.states[s]?.meta.outcome).find(Boolean);
    return {
      type: 'handoff',
      reference: record.reference,
      lang: record.lang,
      reason: trace.understood === 'unknown' ? 'not_understood' : 'asked',
      at: new Date(event.at).toISOString(),
      ...way,
      ...(record.context.product ? { client: record.context.product } : {}),
      ...(record.context.os ? { os: record.context.os } : {}),
      ...(outcome ? { outcome } : {}),
      ...(record.customer ? { customer: customerOf(record.customer) } : {}),
      lastMessages: lastMessages.slice(-HANDOFF_LAST_MESSAGES),
    };
  }

  return {
    observe(conversationId, result, input) {
      try {
        const event = toTurnEvent(conversationId, result, input, now());
        record(event);
        if (result.trace.handoff && handoff) {
          // The summary reads the last turns back, this one included: once every append so far is written.
          flushBatch();
          const written = Promise.all(writing);
          track(
            written.then(async () => handoff.send(await summary(conversationId, result, event))),
            'staff handoff summary failed',
          );
        }
      } catch (err) {
        log.warn({ err }, 'staff recorder failed');
      }
    },
    async idle() {
      flushBatch();
      while (writing.size > 0) await Promise.all(writing);
    },
  };
}
