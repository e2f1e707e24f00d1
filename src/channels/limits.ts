/**
 * Per-conversation message rate and per-IP new-conversation rate (shared by every instance through Redis when
 * REDIS_URL is set, see rate-limit.ts), and per-IP open sockets (this instance's sockets, counted here).
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { memoryRateLimiters, type RateLimiters } from '../rate-limit.ts';

export interface Limits {
  /** false when this conversation (or unbound client) sent too many messages in the last 10 s. */
  allowMessage(key: string): Promise<boolean>;
  /** false when this IP opened too many conversations in the last minute. */
  allowNewConversation(ip: string): Promise<boolean>;
  /** Reserves a socket slot for this IP; returns a release function, or undefined when full. */
  acquireSocket(ip: string): (() => void) | undefined;
}

export function createLimits(
  config: { messagesPer10s: number; conversationsPerMinute: number; socketsPerIp: number },
  limiters: RateLimiters = memoryRateLimiters,
): Limits {
  const messages = limiters.create({ name: 'messages', points: config.messagesPer10s, durationSeconds: 10 });
  const conversations = limiters.create({ name: 'conversations', points: config.conversationsPerMinute, durationSeconds: 60 });
  const sockets = new Map<string, number>();
  const consume = (limiter: RateLimiterAbstract, key: string) =>
    limiter.consume(key).then(
      () => true,
      () => false,
    );
  return {
    allowMessage: (key) => consume(messages, key),
    allowNewConversation: (ip) => consume(conversations, ip),
    acquireSocket(ip) {
      const open = sockets.get(ip) ?? 0;
      if (open >= config.socketsPerIp) return undefined;
      sockets.set(ip, open + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (sockets.get(ip) ?? 1) - 1;
        if (left <= 0) sockets.delete(ip);
        else sockets.set(ip, left);
      };
    },
  };
}
