/**
 * What operators scrape from GET /metrics (Prometheus text format, prom-client). Each server has its own
 * Registry, so several servers in one process (tests, the bench) report their own figures. The edges feed it:
 * the conversation service's observer (turns, outcomes, handoffs, not understood), the channels (refusals,
 * turn durations) and read-through gauges (open sockets, handoff deliveries waiting). The pure core knows
 * nothing of it.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TurnResult } from '../conversation/turn.ts';
import { errorCodes, type ErrorCode } from '../conversation/wire.ts';

/** Anything that knows how many handoff deliveries are waiting (the handoff notifier or a durable queue). */
export interface PendingDeliveries {
  pending(): number | Promise<number>;
}

/** What the edges report; index.ts gives a no-op one when /metrics is off. */
export interface MetricsSink {
  /** A stored turn, as the conversation service observes it. */
  turn(result: TurnResult): void;
  /** Wall time of one turn through the engine (load, turn, save), in seconds. */
  turnDuration(seconds: number): void;
  /** Refused client input, by protocol error code: an `error` object sent, a websocket closed with 1009, an upgrade refused with 429. */
  refusal(code: ErrorCode): void;
  /** Read at each scrape. */
  watchOpenSockets(count: () => number): void;
  /** Read at each scrape. */
  watchHandoffDeliveries(source: PendingDeliveries): void;
}

export interface Metrics extends MetricsSink {
  readonly registry: Registry;
}

/** Turns take a few milliseconds; the tail (storage trouble, a slow Redis) is what operators look for. */
const TURN_SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** `outcomes`: the flow's outcome ids, reported from 0 on so that a rate over them works from the first scrape. */
export function createMetrics(options: { outcomes?: readonly string[] } = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const turns = new Counter({ name: 'owari_turns_total', help: 'Conversation turns stored (start, resume and message turns).', registers });
  const outcomes = new Counter({ name: 'owari_outcomes_total', help: 'Verdicts of the flowchart given, by outcome id.', labelNames: ['outcome'], registers });
  const handoffs = new Counter({ name: 'owari_handoffs_total', help: 'Customers offered a person (asked for one, or not understood twice).', registers });
  const notUnderstood = new Counter({ name: 'owari_not_understood_total', help: 'Messages the bot did not understand.', registers });
  const refusals = new Counter({ name: 'owari_refusals_total', help: 'Refused client input by protocol error code (error objects, websocket 1009 closes, 429 upgrades).', labelNames: ['code'], registers });
  for (const outcome of options.outcomes ?? []) outcomes.labels({ outcome }).inc(0);
  for (const code of errorCodes) refusals.labels({ code }).inc(0);
  const durations = new Histogram({ name: 'owari_turn_duration_seconds', help: 'Time to handle one turn (load, understand, save).', buckets: TURN_SECONDS_BUCKETS, registers });

  let openSockets: () => number = () => 0;
  new Gauge({
    name: 'owari_websockets_open',
    help: 'Open websocket connections.',
    registers,
    collect() {
      this.set(openSockets());
    },
  });
  let deliveries: PendingDeliveries | undefined;
  new Gauge({
    name: 'owari_handoff_deliveries_pending',
    help: 'Handoff summaries not yet delivered to HANDOFF_WEBHOOK_URL (being sent or waiting for a retry).',
    registers,
    async collect() {
      this.set(deliveries ? await deliveries.pending() : 0);
    },
  });

  return {
    registry,
    turn({ trace }) {
      turns.inc();
      if (trace.outcome) outcomes.inc({ outcome: trace.outcome });
      if (trace.handoff) handoffs.inc();
      if (trace.understood === 'unknown') notUnderstood.inc();
    },
    turnDuration: (seconds) => durations.observe(seconds),
    refusal: (code) => refusals.inc({ code }),
    watchOpenSockets(count) {
      openSockets = count;
    },
    watchHandoffDeliveries(source) {
      deliveries = source;
    },
  };
}
