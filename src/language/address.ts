/** Mail addresses typed at the address question. The address is only looked at, never kept. */
import type { Analysed } from './normalize.js';

// Bounded, and a local part only from the start of its run, so a long run of letters is read once (no ReDoS).
export const ADDRESS = /(?<![a-z0-9._%+-])([a-z0-9][a-z0-9._%+-]{0,63})?\s?[@＠]\s?((?:[a-z0-9-]{1,63}\.){1,8}[a-z]{2,63})/i;

export interface TypedAddress { local?: string; domain: string }

const EVERY_ADDRESS = new RegExp(ADDRESS.source, 'gi');
/** Words naming the address after them as a recipient (a pasted 「受信者“ken@example.jp”がサーバによって拒否」). */
const RECIPIENT_BEFORE = /(?:受信者|宛先|あて先|送信先|recipient|rcpt to|to:)\s*[:：]?\s*["“”'‘’「『<(（]?\s*$/i;

/** The customer's own address in a message: the first one that is not named as a recipient. */
export function findAddress(a: Analysed): TypedAddress | null {
  for (const m of a.plain.matchAll(EVERY_ADDRESS)) {
    if (RECIPIENT_BEFORE.test(a.plain.slice(Math.max(0, m.index - 16), m.index))) continue;
    return { ...(m[1] ? { local: m[1] } : {}), domain: m[2]!.toLowerCase() };
  }
  return null;
}

export function isOwariDomain(domain: string, owariDomains: readonly string[]): boolean {
  return owariDomains.some((d) => domain === d || domain.endsWith('.' + d));
}

/** A program word right after a mail service's name: 「Gmailのアプリ」 names a program, not the address in it. */
const PROGRAM_AFTER = /^ ?(?:の|って|という|っていう|ていう)? ?(?:めーる ?)?(?:あぷり|app|そふと)/;
export const programNamed = (a: Analysed, end: number): boolean => PROGRAM_AFTER.test(a.key.slice(end));
