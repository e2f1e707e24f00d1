/**
 * Where both transports meet: validated input, server-issued sessions, rate limits, then the turn
 * engine. A websocket's binding fixes its conversation for life; a webhook request has a fresh binding.
 */
import type { Logger } from '../log.ts';
import type { Translate } from '../conversation/i18n.ts';
import { MAX_TEXT_LENGTH, type ErrorCode, type ErrorMessage, type Lang, type Outgoing } from '../conversation/wire.ts';
import type { ConversationService } from '../conversation/service.ts';
import { StoreUnavailableError } from '../storage/types.ts';
import { createBotkitEngine, type EngineTurn, type TurnEngine } from './botkit.ts';
import { parseFrame, validateInbound, type Parsed } from './inbound.ts';
import type { Limits } from './limits.ts';
import type { SessionIds } from './sessions.ts';

export interface Binding {
  /** Set once; a websocket never changes it. */
  conversationId?: string;
  lang: Lang;
}

export interface Peer {
  ip: string;
}

export interface Gateway {
  /** `frame` is raw text (websocket) or an already-parsed JSON body (webhook). */
  receive(frame: string | unknown, binding: Binding, peer: Peer): Promise<Outgoing[]>;
  shutdown(): Promise<void>;
}

export function createGateway(deps: { service: ConversationService; sessions: SessionIds; limits: Limits; t: Translate; log: Logger }): Gateway {
  const { service, sessions, limits, t, log } = deps;

  const error = (code: ErrorCode, lang: Lang): ErrorMessage => ({ type: 'error', code, text: t(lang, `errors.${code}`, { max: MAX_TEXT_LENGTH }) });

  const engine: TurnEngine = createBotkitEngine(
    async (turn: EngineTurn) => {
      if (turn.kind === 'start') return service.start(turn.conversationId, turn.lang);
      if (turn.kind === 'resume') return (await service.resume(turn.conversationId)) ?? [];
      return (await service.message(turn.conversationId, turn.text)) ?? [];
    },
    (err, turn) => {
      const unavailable = err instanceof StoreUnavailableError;
      log[unavailable ? 'warn' : 'error']({ err, conversation: turn.conversationId.slice(0, 8), turn: turn.kind }, 'turn failed');
      return [error(unavailable ? 'unavailable' : 'internal', 'ja')];
    },
  );

  async function startNew(binding: Binding, peer: Peer, lang: Lang): Promise<Outgoing[]> {
    if (!(await limits.allowNewConversation(peer.ip))) return [error('rate_limited', lang)];
    const id = sessions.issue();
    binding.conversationId = id;
    binding.lang = lang;
    return [{ type: 'session', user: id }, ...(await engine.run({ kind: 'start', conversationId: id, lang }))];
  }

  /** Adopts a client-presented id only if we issued it and it still has a conversation. */
  async function adopt(binding: Binding, user: string | undefined): Promise<Outgoing[] | undefined> {
    if (!sessions.verify(user)) return undefined;
    const replies = await engine.run({ kind: 'resume', conversationId: user });
    if (replies.length === 0) return undefined;
    binding.conversationId = user;
    return replies;
  }

  return {
    async receive(frame, binding, peer) {
      const parsed: Parsed = typeof frame === 'string' ? parseFrame(frame) : validateInbound(frame);
      if (!parsed.ok) return [error(parsed.code, parsed.lang ?? binding.lang)];
      const inbound = parsed.value;
      if (inbound.lang) binding.lang = inbound.lang;
      const lang = binding.lang;

      const bound = binding.conversationId;
      if (!(await limits.allowMessage(bound ?? `ip:${peer.ip}`))) return [error('rate_limited', lang)];

      if (inbound.type === 'hello') {
        if (bound) return engine.run({ kind: 'start', conversationId: bound, lang });
        return startNew(binding, peer, lang);
      }
      if (inbound.type === 'welcome_back') {
        if (bound) return engine.run({ kind: 'resume', conversationId: bound });
        return (await adopt(binding, inbound.user)) ?? startNew(binding, peer, lang);
      }
      // A message: on a bound socket the frame's `user` is ignored; otherwise it must be an id we issued.
      if (bound) return engine.run({ kind: 'message', conversationId: bound, text: inbound.text! });
      if (sessions.verify(inbound.user)) {
        const replies = await engine.run({ kind: 'message', conversationId: inbound.user, text: inbound.text! });
        if (replies.length > 0) {
          binding.conversationId = inbound.user;
          return replies;
        }
      }
      return startNew(binding, peer, lang);
    },
    shutdown: () => engine.shutdown(),
  };
}
