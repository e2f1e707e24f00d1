/**
 * Where both transports meet: validated input, server-issued sessions, rate limits, then the turn
 * engine. A websocket's binding fixes its conversation for life; a webhook request has a fresh binding.
 * receive() never throws: whatever a client sends, the answer is a list of protocol messages. The engine that
 * runs the turns is given (src/server.ts creates it).
 */
import type { Logger } from '../log.ts';
import type { Translate } from '../conversation/i18n.ts';
import { isLang, type ErrorCode, type ErrorMessage, type Lang, type Outgoing } from '../conversation/wire.ts';
import { createConversationDirectory, type ConversationDirectory } from './directory.ts';
import { parseFrame, validateInbound, type Parsed } from './inbound.ts';
import type { Limits } from './limits.ts';
import type { SessionIds } from './sessions.ts';
import type { MetricsSink } from '../metrics/metrics.ts';
import type { CustomerIdentity } from '../conversation/customer.ts';
import type { IdentityClaim, Verified } from './identity.ts';
import { errorReply, type TurnEngine } from './turn-engine.ts';

export interface Binding {
  /** Set once; a websocket never changes it. */
  conversationId?: string;
  /** The client's language until the conversation's own is known (see ConversationDirectory). */
  lang: Lang;
}

export interface Peer {
  ip: string;
}

export interface Gateway {
  /** `frame` is raw text (websocket) or an already-parsed JSON body (webhook). Never rejects. */
  receive(frame: string | unknown, binding: Binding, peer: Peer): Promise<Outgoing[]>;
  shutdown(): Promise<void>;
}

export interface Refusals {
  /**
   * The error object for a request refused before it became a frame (a webhook body too large or not JSON), in the
   * language it asked for, else its conversation's (when `user` is an id we issued), else Japanese.
   */
  refuse(code: ErrorCode, hint: { user?: string; lang?: string }): ErrorMessage;
}

export function createGateway(deps: {
  /** Runs the turns (src/channels/turn-engine.ts); shut down with the gateway. */
  engine: TurnEngine;
  /** Attaches a verified portal customer to a stored conversation. */
  identify?: (conversationId: string, customer: CustomerIdentity) => Promise<unknown>;
  sessions: SessionIds;
  limits: Limits;
  t: Translate;
  log: Logger;
  /** Fed by the service's observer; without it errors use the client's language and logs an id tag. */
  directory?: ConversationDirectory;
  /** True when a client address is one of インターネット尾張's own (OWARI_NETWORKS). */
  isOwariAddress?: (ip: string) => boolean;
  metrics?: Pick<MetricsSink, 'refusal'>;
  /** Checks a portal's customer identity (identity.ts); without it identities are ignored. */
  verifyIdentity?: (claim: IdentityClaim | 'malformed') => Verified;
}): Gateway & Refusals {
  const { engine, sessions, limits, t, log } = deps;
  const directory = deps.directory ?? createConversationDirectory();

  const error = (code: ErrorCode, lang: Lang): ErrorMessage => {
    deps.metrics?.refusal(code);
    return errorReply(t, code, lang);
  };
  /**
   * Errors speak the conversation's language, which may have changed mid-conversation: the socket's, or the one whose
   * id an unbound (webhook) request presents.
   */
  const langOf = (binding: Binding, presented?: string): Lang => {
    const id = binding.conversationId ?? presented;
    return (id && directory.get(id)?.lang) || binding.lang;
  };

  async function startNew(binding: Binding, peer: Peer, lang: Lang, customer?: CustomerIdentity): Promise<Outgoing[]> {
    if (!(await limits.allowNewConversation(peer.ip))) return [error('rate_limited', lang)];
    const id = sessions.issue();
    binding.conversationId = id;
    binding.lang = lang;
    const onOwariNetwork = deps.isOwariAddress?.(peer.ip) ?? false;
    return [{ type: 'session', user: id }, ...(await engine.run({ kind: 'start', conversationId: id, lang, onOwariNetwork, customer }))];
  }

  /**
   * The verified customer of a frame's identity, or undefined: an identity that does not verify is ignored and
   * the chat goes on anonymously. The log says why, never what the claim held (no id, address, hash or secret).
   */
  function customerOf(claim: IdentityClaim | 'malformed' | undefined, binding: Binding): CustomerIdentity | undefined {
    if (claim === undefined || !deps.verifyIdentity) return undefined;
    const verified = deps.verifyIdentity(claim);
    if (verified.ok) return verified.customer;
    // Without PORTAL_IDENTITY_SECRET start-up already said identities are ignored.
    if (verified.reason !== 'not_configured') {
      log.warn({ reason: verified.reason, conversation: binding.conversationId && directory.logName(binding.conversationId) }, 'customer identity refused; chat goes on anonymously');
    }
    return undefined;
  }

  /** Attaches a verified customer to a conversation once its turn is stored. */
  async function identify(conversationId: string | undefined, customer: CustomerIdentity | undefined): Promise<void> {
    if (customer && conversationId) await deps.identify?.(conversationId, customer);
  }

  /** Adopts a client-presented id only if we issued it and it still has a conversation. */
  async function adopt(binding: Binding, user: string | undefined): Promise<Outgoing[] | undefined> {
    if (!sessions.verify(user)) return undefined;
    const replies = await engine.run({ kind: 'resume', conversationId: user });
    if (replies.length === 0) return undefined;
    binding.conversationId = user;
    return replies;
  }

  async function handle(frame: unknown, binding: Binding, peer: Peer): Promise<Outgoing[]> {
    const parsed: Parsed = typeof frame === 'string' ? parseFrame(frame) : validateInbound(frame);
    // Every frame counts, refused ones too, against its conversation: the socket's, or the id a webhook
    // request presents (if we issued it); a client with neither counts against its IP. A bound socket ignores
    // the frame's `user` (the widget sends it with every message), so its HMAC is checked only unbound.
    const presented = !binding.conversationId && parsed.ok && sessions.verify(parsed.value.user) ? parsed.value.user : undefined;
    const key = binding.conversationId ?? presented ?? `ip:${peer.ip}`;
    if (!(await limits.allowMessage(key))) return [error('rate_limited', (parsed.ok && parsed.value.lang) || langOf(binding, presented))];
    if (!parsed.ok) {
      const refusedFor = !binding.conversationId && sessions.verify(parsed.user) ? parsed.user : undefined;
      return [error(parsed.code, parsed.lang ?? langOf(binding, refusedFor))];
    }

    const inbound = parsed.value;
    if (inbound.lang) binding.lang = inbound.lang;
    const lang = binding.lang;

    const bound = binding.conversationId;
    const customer = customerOf(inbound.identity, binding);
    if (inbound.type === 'hello') {
      if (bound) return engine.run({ kind: 'start', conversationId: bound, lang, customer });
      return startNew(binding, peer, lang, customer);
    }
    if (inbound.type === 'welcome_back') {
      if (bound) {
        const replies = await engine.run({ kind: 'resume', conversationId: bound });
        await identify(bound, customer);
        return replies;
      }
      const resumed = await adopt(binding, inbound.user);
      if (!resumed) return startNew(binding, peer, lang, customer);
      await identify(binding.conversationId, customer);
      return resumed;
    }
    if (inbound.type === 'identify') {
      // On the current conversation: the socket's, or (webhook) the id the frame presents. No reply.
      await identify(bound ?? presented, customer);
      return [];
    }
    // A message: on a bound socket the frame's `user` is ignored; otherwise it must be an id we issued.
    if (bound) return engine.run({ kind: 'message', conversationId: bound, text: inbound.text! });
    if (presented) {
      const replies = await engine.run({ kind: 'message', conversationId: presented, text: inbound.text! });
      if (replies.length > 0) {
        binding.conversationId = presented;
        return replies;
      }
    }
    return startNew(binding, peer, lang);
  }

  return {
    async receive(frame, binding, peer) {
      try {
        return await handle(frame, binding, peer);
      } catch (err) {
        // A bug or a failing limiter store: this frame is refused, the process and the conversation carry on.
        log.error({ err, conversation: binding.conversationId && directory.logName(binding.conversationId) }, 'frame failed');
        return [error('internal', langOf(binding))];
      }
    },
    refuse(code, hint) {
      if (isLang(hint.lang)) return error(code, hint.lang);
      return error(code, (sessions.verify(hint.user) && directory.get(hint.user)?.lang) || 'ja');
    },
    shutdown: () => engine.shutdown(),
  };
}
