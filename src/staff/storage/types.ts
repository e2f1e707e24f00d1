/** Transcripts and analytics events for staff: one small interface, SQLite (default) and Redis engines. */
import type { Lang } from '../../conversation/wire.ts';
import type { CustomerIdentity } from '../../conversation/customer.ts';

/** One committed turn, already masked. The conversation id never leaves the server (it is the customer's session). */
export interface TurnEvent {
  conversationId: string;
  reference: string;
  lang: Lang;
  /** ms since epoch. */
  at: number;
  from: string;
  to: string;
  /** TurnTrace.understood: start | resume | answer | client | unknown | handoff | faq | … */
  understood: string;
  /** What the customer typed (masked); absent for start/resume. */
  input?: string;
  /** What the bot said (masked), messages joined by a blank line. */
  reply: string;
  outcome?: string;
  client?: string;
  errorCode?: string;
  faq?: string;
  handoff?: boolean;
  /**
   * The portal's verified customer, when the conversation has one: kept beside the turn, never in `input`, so
   * staff can contact them while what they typed stays masked.
   */
  customer?: CustomerIdentity;
  /** Questions passed without asking because their answer was already known (TurnTrace.passed). */
  passed?: string[];
}

export interface Transcript {
  reference: string;
  lang: Lang;
  startedAt: number;
  updatedAt: number;
  turns: TurnEvent[];
}

export interface TranscriptStore {
  readonly engine: 'sqlite' | 'redis';
  /**
   * Stores events in order, as one write (one transaction / one MULTI): recording many turns costs one commit.
   * Appends may overlap; they are stored in the order they were called. Resolves once the events can be read back.
   */
  append(...events: TurnEvent[]): Promise<void>;
  /** The most events the recorder should hold before handing them on (default: all of its BATCH_MS). */
  readonly batchEvents?: number;
  /** The conversation that took this reference last (references are short; collisions are possible but rare). */
  byReference(reference: string): Promise<Transcript | undefined>;
  /** The last `n` turns of a conversation, oldest first. */
  recentTurns(conversationId: string, n: number): Promise<TurnEvent[]>;
  /** Turn events with from ≤ at < to, oldest first. */
  events(from: number, to: number): Promise<TurnEvent[]>;
  /** Deletes every turn recorded under `reference`; returns the conversation ids it belonged to (empty: none). */
  erase(reference: string): Promise<string[]>;
  /** Deletes transcripts and events older than `before` (ms); returns how many turns went. */
  purge(before: number): Promise<number>;
  close(): Promise<void>;
}

/** "ow-7k3q 92", "ＯＷ７Ｋ３Ｑ９２" → "OW-7K3Q-92"; undefined when it cannot be a reference. */
export function normalizeReference(input: string): string | undefined {
  const compact = input.normalize('NFKC').toUpperCase().replace(/[^A-Z0-9]/g, '');
  const m = /^OW([A-Z0-9]{4})(\d{2})$/.exec(compact);
  return m ? `OW-${m[1]}-${m[2]}` : undefined;
}
