/**
 * What the gateway needs from a chat framework: run one validated turn, return its replies. The framework
 * (Botkit, src/channels/botkit/) implements it; src/server.ts creates the engine with conversationTurns() and
 * hands it to the gateway.
 */
import type { Logger } from '../log.ts';
import type { Translate } from '../conversation/i18n.ts';
import type { ConversationService } from '../conversation/service.ts';
import { MAX_TEXT_LENGTH, type ErrorCode, type ErrorMessage, type Lang, type Outgoing } from '../conversation/wire.ts';
import { StoreUnavailableError } from '../storage/types.ts';
import type { ConversationDirectory } from './directory.ts';
import type { CustomerIdentity } from '../conversation/customer.ts';
import type { MetricsSink } from '../metrics/metrics.ts';

export type EngineTurn =
  | { kind: 'start'; conversationId: string; lang: 'ja' | 'en'; onOwariNetwork?: boolean; customer?: CustomerIdentity }
  | { kind: 'resume'; conversationId: string }
  | { kind: 'message'; conversationId: string; text: string };

/** Runs one validated turn and returns the replies, in order. */
export type TurnHandler = (turn: EngineTurn) => Promise<Outgoing[]>;
/** The replies for a turn whose handler failed. */
export type TurnFailure = (error: unknown, turn: EngineTurn) => Outgoing[];

export interface TurnEngine {
  run(turn: EngineTurn): Promise<Outgoing[]>;
  shutdown(): Promise<void>;
}

/** An error reply in the customer's language. */
export const errorReply = (t: Translate, code: ErrorCode, lang: Lang): ErrorMessage => ({ type: 'error', code, text: t(lang, `errors.${code}`, { max: MAX_TEXT_LENGTH }) });

/** The conversation service as an engine's turn handler, and the error replies when a turn fails. */
export function conversationTurns(deps: {
  service: ConversationService;
  directory: ConversationDirectory;
  t: Translate;
  log: Logger;
  metrics?: Pick<MetricsSink, 'refusal' | 'turnDuration'>;
}): { handle: TurnHandler; onError: TurnFailure } {
  const { service, directory, t, log, metrics } = deps;
  return {
    async handle(turn) {
      const started = performance.now();
      try {
        if (turn.kind === 'start') return await service.start(turn.conversationId, turn.lang, { onOwariNetwork: turn.onOwariNetwork }, turn.customer);
        if (turn.kind === 'resume') return (await service.resume(turn.conversationId)) ?? [];
        return (await service.message(turn.conversationId, turn.text)) ?? [];
      } finally {
        metrics?.turnDuration((performance.now() - started) / 1000);
      }
    },
    onError(err, turn) {
      const unavailable = err instanceof StoreUnavailableError;
      // The reference (OW-…) names the conversation; never the id (a bearer secret) nor what the customer typed.
      log[unavailable ? 'warn' : 'error']({ err, conversation: directory.logName(turn.conversationId), turn: turn.kind }, 'turn failed');
      const lang = directory.get(turn.conversationId)?.lang ?? (turn.kind === 'start' ? turn.lang : 'ja');
      const code = unavailable ? 'unavailable' : 'internal';
      metrics?.refusal(code);
      return [errorReply(t, code, lang)];
    },
  };
}
