/** Per-conversation message rate, per-IP new-conversation rate and per-IP open sockets. */
import { RateLimiterMemory } from 'rate-limiter-flexible';

export interface Limits {
  /** false when this conversation (or unbound client) sent too many messages in the last 10 s. */
  allowMessage(key: string): Promise<boolean>;
  /** false when this IP opened too many conversations in the last minute. */
  allowNewConversation(ip: string): Promise<boolean>;
  /** Reserves a socket slot for this IP; returns a release function, or undefined when full. */
  acquireSocket(ip: string): (() => void) | undefined;
}

export function createLimits(config: { messagesPer10s: number; conversationsPerMinute: number; socketsPerIp: number }): Limits {
  const messages = new RateLimiterMemory({ points: config.messagesPer10s, duration: 10 });
  const conversations = new RateLimiterMemory({ points: config.conversationsPerMinute, duration: 60 });
  const sockets = new Map<string, number>();
  const consume = (limiter: RateLimiterMemory, key: string) =>
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
