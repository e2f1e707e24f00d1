/** The wire contract (docs protocol.md), as the widget reads it. Incoming frames are untrusted: parse defensively. */

// The server's own protocol types, imported as types only so the bundle gains no code from the server.
import type { Lang, Link, QuickReply } from '../conversation/wire.ts';

export type { Lang, Link, QuickReply };
export const isLang = (v: unknown): v is Lang => v === 'ja' || v === 'en';

export type BotFrame =
  | { type: 'session'; user: string }
  | { type: 'typing' }
  | {
      type: 'message';
      text: string;
      quick_replies: QuickReply[];
      links: Link[];
      state?: string;
      outcome?: string;
    }
  | { type: 'error'; code: string; text: string };

/** The portal's logged-in customer, signed by the portal's server (protocol.md "Customer identity"). */
export interface Identity {
  id: string;
  email?: string;
  name?: string;
  hash: string;
}

export interface ClientFrame {
  type: 'hello' | 'welcome_back' | 'message' | 'identify';
  user?: string;
  text?: string;
  identity?: Identity;
  channel: string;
  lang: Lang;
}

/** What a portal passed to OwariChat.identify(), if it has the fields' types; the server checks the rest. */
export function identityOf(v: unknown): Identity | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  const optional = (x: unknown) => x === undefined || x === null || typeof x === 'string';
  if (typeof o.id !== 'string' || typeof o.hash !== 'string' || !optional(o.email) || !optional(o.name)) return undefined;
  const out: Identity = { id: o.id, hash: o.hash };
  if (typeof o.email === 'string') out.email = o.email;
  if (typeof o.name === 'string') out.name = o.name;
  return out;
}

const MAX_ITEMS = 30;
const str = (v: unknown, max = 8000): string | undefined =>
  typeof v === 'string' ? v.slice(0, max) : undefined;

/** Parses one text frame from the bot; null for anything that is not a frame we understand. */
export function parseFrame(data: unknown): BotFrame | null {
  if (typeof data !== 'string') return null;
  let o: unknown;
  try {
    o = JSON.parse(data);
  } catch {
    return null;
  }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return null;
  const f = o as Record<string, unknown>;
  switch (f.type) {
    case 'session': {
      const user = str(f.user, 512);
      return user ? { type: 'session', user } : null;
    }
    case 'typing':
      return { type: 'typing' };
    case 'error':
      return { type: 'error', code: str(f.code, 64) ?? 'internal', text: str(f.text) ?? '' };
    case 'message': {
      const qr = Array.isArray(f.quick_replies) ? f.quick_replies.slice(0, MAX_ITEMS) : [];
      const links = Array.isArray(f.links) ? f.links.slice(0, MAX_ITEMS) : [];
      return {
        type: 'message',
        text: str(f.text) ?? '',
        quick_replies: qr.flatMap((q: unknown) => {
          const r = q as Record<string, unknown> | null;
          const title = str(r?.title, 200);
          const payload = str(r?.payload, 500) ?? title;
          return title && payload ? [{ title, payload }] : [];
        }),
        links: links.flatMap((l: unknown) => {
          const r = l as Record<string, unknown> | null;
          const url = str(r?.url, 2048);
          const title = str(r?.title, 200) ?? url;
          return url && title ? [{ title, url }] : [];
        }),
        state: str(f.state, 200),
        outcome: str(f.outcome, 200),
      };
    }
    default:
      return null;
  }
}

/** One line of the transcript as the widget keeps it (localStorage) to show it again after a reload. */
export interface Entry {
  from: 'bot' | 'user' | 'note';
  text: string;
  links?: Link[];
}

export interface Saved {
  v: 1;
  user?: string;
  lang?: Lang;
  history: Entry[];
  /** Quick replies of the last bot message, offered again after a reload. */
  replies?: QuickReply[];
}

export const MAX_HISTORY = 100;

/** Reads what save() wrote; anything malformed or foreign yields an empty transcript. */
export function restore(raw: string | null): Saved {
  const empty: Saved = { v: 1, history: [] };
  if (!raw) return empty;
  try {
    const o = JSON.parse(raw) as Partial<Saved>;
    if (!o || o.v !== 1 || !Array.isArray(o.history)) return empty;
    const history = o.history
      .filter(
        (e): e is Entry =>
          !!e && (e.from === 'bot' || e.from === 'user' || e.from === 'note') && typeof e.text === 'string',
      )
      .slice(-MAX_HISTORY)
      .map((e) => ({
        from: e.from,
        text: e.text,
        links: Array.isArray(e.links)
          ? e.links.filter((l) => l && typeof l.url === 'string' && typeof l.title === 'string')
          : undefined,
      }));
    const replies = Array.isArray(o.replies)
      ? o.replies.filter((q) => q && typeof q.title === 'string' && typeof q.payload === 'string')
      : undefined;
    return {
      v: 1,
      user: typeof o.user === 'string' ? o.user : undefined,
      lang: isLang(o.lang) ? o.lang : undefined,
      history,
      replies,
    };
  } catch {
    return empty;
  }
}

export function save(s: Saved): string {
  return JSON.stringify({ ...s, history: s.history.slice(-MAX_HISTORY) });
}

/** Reconnect delay: exponential from 500 ms, capped at 30 s, with ±25 % jitter so tabs do not reconnect in step. */
export function backoff(attempt: number, random: number = Math.random()): number {
  const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.75 + random * 0.5));
}

/** ws(s)://host/ for the server that served the script at scriptSrc. */
export function socketUrl(scriptSrc: string): string {
  const u = new URL(scriptSrc);
  return `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}/`;
}
