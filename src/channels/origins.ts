/** Which browser origins may open a socket or call the webhook: our own and ALLOWED_ORIGINS. */
import type { IncomingMessage } from 'node:http';

export type OriginPolicy = (origin: string | undefined, host: string | undefined) => boolean;

export function createOriginPolicy(allowedOrigins: string[], publicUrl?: string): OriginPolicy {
  const allowed = new Set(allowedOrigins.map((o) => o.toLowerCase()));
  if (publicUrl) allowed.add(new URL(publicUrl).origin.toLowerCase());
  return (origin, host) => {
    // Non-browser clients send no Origin (protocol.md: accepted); browsers always do.
    if (origin === undefined) return true;
    const o = origin.toLowerCase();
    if (allowed.has(o)) return true;
    try {
      return host !== undefined && new URL(o).host === host.toLowerCase();
    } catch {
      return false;
    }
  };
}

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
