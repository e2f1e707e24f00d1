/** Which browser origins may open a socket or call the webhook: our own and ALLOWED_ORIGINS. */
import type { IncomingMessage } from 'node:http';

export type OriginPolicy = (origin: string | undefined, host: string | undefined) => boolean;

/**
 * Our own origin is PUBLIC_URL's when it is set; only without it (development) is it taken from the
 * request's Host header, which a DNS-rebinding page controls.
 */
export function createOriginPolicy(allowedOrigins: string[], publicUrl?: string): OriginPolicy {
  const allowed = new Set(allowedOrigins.map((o) => o.toLowerCase()));
  if (publicUrl) allowed.add(new URL(publicUrl).origin.toLowerCase());
  return (origin, host) => {
    // Non-browser clients send no Origin (protocol.md: accepted); browsers always do.
    if (origin === undefined) return true;
    const o = origin.toLowerCase();
    if (allowed.has(o)) return true;
    if (publicUrl) return false;
    try {
      const url = new URL(o);
      return (url.protocol === 'http:' || url.protocol === 'https:') && host !== undefined && url.host === host.toLowerCase();
    } catch {
      return false;
    }
  };
}

/** With TRUST_PROXY, one proxy is trusted: it appends the address it saw, so the last X-Forwarded-For entry is the client (earlier ones are client-written). */
export const TRUSTED_PROXY_HOPS = 1;

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const entries = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((p) => p.trim()).filter(Boolean);
    const client = entries[entries.length - TRUSTED_PROXY_HOPS];
    if (client) return client;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
