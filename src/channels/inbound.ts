/** Validates what a client sends (protocol.md "Client → bot"); everything from the network is untrusted. */
import { isLang, MAX_TEXT_LENGTH, type ErrorCode, type Lang } from '../conversation/wire.ts';
import { parseIdentityClaim, type IdentityClaim } from './identity.ts';

export const inboundTypes = ['hello', 'welcome_back', 'message', 'identify'] as const;
export type InboundType = (typeof inboundTypes)[number];

export interface Inbound {
  type: InboundType;
  user?: string;
  text?: string;
  lang?: Lang;
  /** A portal's customer identity (hello, welcome_back, identify), checked for shape; the gateway verifies it. */
  identity?: IdentityClaim | 'malformed';
}

/** A refusal keeps the frame's `lang` and `user` (when they are strings), so it can be said in the conversation's language. */
export type Parsed = { ok: true; value: Inbound } | { ok: false; code: ErrorCode; lang?: Lang; user?: string };

const MAX_USER_LENGTH = 256;

/**
 * Characters, not UTF-16 units (an emoji is one); a text of at most MAX_TEXT_LENGTH units needs no counting.
 * The limit holds for the text as typed and for its NFKC form, which understanding and masking read: one
 * character can become up to 18 ("ﷺ"), so 1,000 characters could otherwise mean 18,000 to read.
 */
const tooLong = (text: string) => text.length > MAX_TEXT_LENGTH && [...text].length > MAX_TEXT_LENGTH;

export function parseFrame(text: string): Parsed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, code: 'malformed' };
  }
  return validateInbound(raw);
}

export function validateInbound(raw: unknown): Parsed {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, code: 'malformed' };
  const m = raw as Record<string, unknown>;
  const lang = isLang(m.lang) ? m.lang : undefined;
  const user = typeof m.user === 'string' && m.user.length <= MAX_USER_LENGTH ? m.user : undefined;
  if (typeof m.type !== 'string') return { ok: false, code: 'malformed', lang, user };
  if (!(inboundTypes as readonly string[]).includes(m.type)) return { ok: false, code: 'unsupported_type', lang, user };
  if (m.user !== undefined && m.user !== null && user === undefined) return { ok: false, code: 'malformed', lang };
  // Listed fields (protocol.md) must have their types; unlisted ones (e.g. the stock client's user_profile) are ignored.
  for (const field of ['lang', 'text', 'channel'] as const) {
    if (m[field] !== undefined && m[field] !== null && typeof m[field] !== 'string') return { ok: false, code: 'malformed', lang, user };
  }
  const value: Inbound = { type: m.type as InboundType, lang };
  if (user !== undefined) value.user = user;
  if (value.type === 'message') {
    if (typeof m.text !== 'string') return { ok: false, code: 'malformed', lang, user };
    if (tooLong(m.text) || tooLong(m.text.normalize('NFKC'))) return { ok: false, code: 'too_long', lang, user };
    value.text = m.text;
  }
  if (value.type !== 'message' && m.identity !== undefined && m.identity !== null) value.identity = parseIdentityClaim(m.identity);
  // identify carries nothing else: without a well-formed identity it is a malformed frame.
  if (value.type === 'identify' && (value.identity === undefined || value.identity === 'malformed')) return { ok: false, code: 'malformed', lang };
  return { ok: true, value };
}
